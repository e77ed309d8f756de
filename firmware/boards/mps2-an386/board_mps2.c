/* SPDX-License-Identifier: MIT */
/*
 * Board port: Arm MPS2 AN386 (Cortex-M4F, 25 MHz) as QEMU models it
 * (`qemu-system-arm -M mps2-an386`). UART0 (CMSDK APB UART, 0x40004000) is
 * the link to sensord, received by interrupt into a ring; SysTick gives the
 * 1 ms tick; the CMSDK APB watchdog (0x40008000) raises NMI, which resets.
 * There is no microphone or door contact: audio comes from the test-signal
 * source (silent at boot), and in a test build (SBFW_TEST_STIMULUS) UART1
 * (0x40005000) takes STIMULUS frames that move the door contact and set
 * the tone. A production build ignores UART1 entirely.
 */
#include <stdint.h>

#include "board.h"
#include "sbcore/frame.h"
#include "testsig.h"
#ifdef SBFW_TEST_STIMULUS
#include "sbcore/deframe.h"
#endif

#define REG(addr) (*(volatile uint32_t *)(addr))

#define SYSCLK_HZ 25000000u

#define UART0 0x40004000u
#define UART1 0x40005000u
#define UART_DATA 0x00u
#define UART_STATE 0x04u
#define UART_CTRL 0x08u
#define UART_INT 0x0Cu
#define UART_BAUDDIV 0x10u
#define UART_STATE_TXFULL 0x1u
#define UART_STATE_RXFULL 0x2u
#define UART_CTRL_TXEN 0x1u
#define UART_CTRL_RXEN 0x2u
#define UART_CTRL_RXINTEN 0x8u
#define UART_INT_RX 0x2u

#define WDOG 0x40008000u
#define WDOG_LOAD 0x000u
#define WDOG_CTRL 0x008u
#define WDOG_INTCLR 0x00Cu
#define WDOG_LOCK 0xC00u
#define WDOG_UNLOCK_KEY 0x1ACCE551u
#define WDOG_TIMEOUT_MS 4000u

#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define NVIC_ISER0 REG(0xE000E100u)
#define SCB_AIRCR REG(0xE000ED0Cu)

#define IRQ_UART0_RX 0
#define IRQ_UART1_RX 2

#define RX_RING 256u /* power of two */
#define DOOR_RING 16u
#define BOOT_MAGIC 0x5B0075B0u

static volatile uint32_t ticks;
static volatile uint8_t rx_ring[RX_RING];
static volatile uint32_t rx_head, rx_tail; /* head: ISR writes; tail: main loop */
static volatile uint32_t rx_overruns;

static struct {
	bool open;
	uint32_t at_ms;
} door_ring[DOOR_RING];
static uint32_t door_head, door_count;
static bool door_now;

static struct testsig sig;
static uint32_t audio_origin_ms;
static uint64_t audio_done; /* samples handed out */

__attribute__((section(".noinit"))) static uint32_t boot_magic, boot_count;

void systick_handler(void);
void nmi_handler(void);
void uart0_rx_handler(void);
#ifdef SBFW_TEST_STIMULUS
void uart1_rx_handler(void);
static volatile uint8_t stim_ring[64];
static volatile uint32_t stim_head, stim_tail;
static struct deframe stim_rx;
#define UART1_RX_VECTOR uart1_rx_handler
#else
#define UART1_RX_VECTOR 0
#endif

/* External interrupts 0..3 of the AN386: UART0 RX/TX, UART1 RX/TX. */
__attribute__((section(".vectors.irq"), used)) static void (*const irq_vectors[4])(void) = {
	uart0_rx_handler,
	0,
	UART1_RX_VECTOR,
	0,
};

void systick_handler(void)
{
	ticks++;
}

void nmi_handler(void)
{
	/* only the watchdog raises NMI here: the main loop stalled */
	board_reset();
}

/*
 * The RX interrupt is cleared before the data register is drained, never
 * after: a byte arriving between the last RXFULL check and a late clear would
 * lose its interrupt while it sits in the one-byte buffer, and with the
 * buffer full no further byte (nor interrupt) ever comes: reception stalls.
 */
void uart0_rx_handler(void)
{
	REG(UART0 + UART_INT) = UART_INT_RX;
	while (REG(UART0 + UART_STATE) & UART_STATE_RXFULL) {
		uint8_t b = (uint8_t)REG(UART0 + UART_DATA);

		if (rx_head - rx_tail < RX_RING) {
			rx_ring[rx_head % RX_RING] = b;
			rx_head++;
		} else {
			rx_overruns++;
		}
	}
}

#ifdef SBFW_TEST_STIMULUS
void uart1_rx_handler(void)
{
	REG(UART1 + UART_INT) = UART_INT_RX; /* first: see uart0_rx_handler */
	while (REG(UART1 + UART_STATE) & UART_STATE_RXFULL) {
		uint8_t b = (uint8_t)REG(UART1 + UART_DATA);

		if (stim_head - stim_tail < sizeof(stim_ring)) {
			stim_ring[stim_head % sizeof(stim_ring)] = b;
			stim_head++;
		}
	}
}
#endif

static void uart_init(uint32_t base, bool rx_irq)
{
	REG(base + UART_BAUDDIV) = SYSCLK_HZ / 115200u;
	REG(base + UART_CTRL) = UART_CTRL_TXEN | UART_CTRL_RXEN | (rx_irq ? UART_CTRL_RXINTEN : 0);
}

void board_init(void)
{
	if (boot_magic != BOOT_MAGIC) {
		boot_magic = BOOT_MAGIC;
		boot_count = 0;
	}
	boot_count++;

	SYST_RVR = SYSCLK_HZ / 1000u - 1u;
	SYST_CVR = 0;
	SYST_CSR = 0x7u; /* processor clock, interrupt, enable */

	uart_init(UART0, true);
	NVIC_ISER0 = 1u << IRQ_UART0_RX;
#ifdef SBFW_TEST_STIMULUS
	deframe_init(&stim_rx);
	uart_init(UART1, true);
	NVIC_ISER0 = 1u << IRQ_UART1_RX;
#endif

	REG(WDOG + WDOG_LOCK) = WDOG_UNLOCK_KEY;
	REG(WDOG + WDOG_LOAD) = SYSCLK_HZ / 1000u * WDOG_TIMEOUT_MS;
	REG(WDOG + WDOG_CTRL) = 0x3u; /* interrupt (NMI) and reset enable */
	REG(WDOG + WDOG_LOCK) = 0;

	testsig_init(&sig, (float)board_audio_cal_db());
	audio_origin_ms = ticks;
	audio_done = 0;
	door_now = false;
}

uint32_t board_millis(void)
{
	return ticks;
}

size_t board_uart_read(uint8_t *buf, size_t n)
{
	size_t got = 0;

	while (got < n && rx_tail != rx_head) {
		buf[got++] = rx_ring[rx_tail % RX_RING];
		rx_tail++;
	}
	return got;
}

void board_uart_write(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		while (REG(UART0 + UART_STATE) & UART_STATE_TXFULL)
			;
		REG(UART0 + UART_DATA) = buf[i];
	}
}

#ifdef SBFW_TEST_STIMULUS
static void door_push(bool open, uint32_t at_ms)
{
	if (door_count == DOOR_RING) {
		door_head = (door_head + 1) % DOOR_RING;
		door_count--;
	}
	door_ring[(door_head + door_count) % DOOR_RING].open = open;
	door_ring[(door_head + door_count) % DOOR_RING].at_ms = at_ms;
	door_count++;
	door_now = open;
}

/* Apply STIMULUS frames that arrived on UART1. */
static void stimulus(void)
{
	struct frame f;

	while (stim_tail != stim_head) {
		uint8_t b = stim_ring[stim_tail % sizeof(stim_ring)];

		stim_tail++;
		if (deframe_push(&stim_rx, b, &f) != 1 || f.type != FRAME_STIMULUS)
			continue;
		switch (f.u.stimulus.kind) {
		case FRAME_STIM_DOOR:
			door_push(f.u.stimulus.value != 0, ticks);
			break;
		case FRAME_STIM_TONE:
			if (f.u.stimulus.value == FRAME_LEVEL_NONE)
				testsig_silence(&sig);
			else
				testsig_tone(&sig, (float)f.u.stimulus.value / 100.0f);
			break;
		case FRAME_STIM_BURST:
			testsig_burst(&sig, (float)f.u.stimulus.value / 100.0f, BOARD_AUDIO_RATE_HZ);
			break;
		default:
			break;
		}
	}
}
#else
static void stimulus(void)
{
}
#endif

bool board_door_edge(bool *open, uint32_t *at_ms)
{
	stimulus();
	if (door_count == 0)
		return false;
	*open = door_ring[door_head].open;
	*at_ms = door_ring[door_head].at_ms;
	door_head = (door_head + 1) % DOOR_RING;
	door_count--;
	return true;
}

bool board_door_level(void)
{
	return door_now;
}

size_t board_audio_read(float *buf, size_t n, uint32_t *first_ms)
{
	uint64_t due = (uint64_t)(uint32_t)(ticks - audio_origin_ms) * (BOARD_AUDIO_RATE_HZ / 1000u);
	uint64_t avail;

	stimulus();
	/* fell more than a second behind (a debugger stop): skip ahead, do not catch up */
	if (due - audio_done > BOARD_AUDIO_RATE_HZ)
		audio_done = due - BOARD_AUDIO_RATE_HZ;
	avail = due - audio_done;
	if (avail == 0)
		return 0;
	if (avail < n)
		n = (size_t)avail;
	*first_ms = audio_origin_ms + (uint32_t)(audio_done * 1000u / BOARD_AUDIO_RATE_HZ);
	testsig_fill(&sig, buf, n);
	audio_done += n;
	return n;
}

double board_audio_cal_db(void)
{
	return 120.0; /* a -26 dBFS MEMS microphone: 94 dB SPL is 26 dB below full scale */
}

uint16_t board_battery_mv(void)
{
	return 0;
}

uint32_t board_boot_count(void)
{
	return boot_count;
}

uint8_t board_caps(void)
{
	uint8_t caps = FRAME_CAP_DOOR | FRAME_CAP_NOISE;

#ifdef SBFW_TEST_STIMULUS
	caps |= FRAME_CAP_STIMULUS;
#endif
	return caps;
}

void board_watchdog_kick(void)
{
	REG(WDOG + WDOG_LOCK) = WDOG_UNLOCK_KEY;
	REG(WDOG + WDOG_INTCLR) = 1;
	REG(WDOG + WDOG_LOCK) = 0;
}

void board_sleep(void)
{
	__asm volatile("wfi");
}

void board_reset(void)
{
	__asm volatile("dsb" ::: "memory");
	SCB_AIRCR = (0x05FAu << 16) | (1u << 2); /* VECTKEY, SYSRESETREQ */
	__asm volatile("dsb" ::: "memory");
	for (;;)
		;
}
