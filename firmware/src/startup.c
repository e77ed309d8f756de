/* SPDX-License-Identifier: MIT */
/*
 * Cortex-M4F start-up: the core part of the vector table, the reset handler
 * (FPU on, .data copied from flash, .bss zeroed, then main) and the default
 * handler. The board port appends its interrupt vectors in the section
 * .vectors.irq, which the linker script places right after these 16.
 * No C library start-up code runs (no constructors, no heap).
 */
#include <stdint.h>
#include <string.h>

#include "board.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;

int main(void);
void reset_handler(void);
void default_handler(void);
void nmi_handler(void) __attribute__((weak, alias("default_handler")));
void hardfault_handler(void) __attribute__((weak, alias("default_handler")));
void systick_handler(void) __attribute__((weak, alias("default_handler")));

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

__attribute__((section(".vectors"), used)) static void (*const core_vectors[16])(void) = {
	(void (*)(void))(uintptr_t)&__stack_top,
	reset_handler,
	nmi_handler,
	hardfault_handler,
	default_handler, /* MemManage */
	default_handler, /* BusFault */
	default_handler, /* UsageFault */
	0,
	0,
	0,
	0,
	default_handler, /* SVCall */
	default_handler, /* DebugMonitor */
	0,
	default_handler, /* PendSV */
	systick_handler,
};

void reset_handler(void)
{
	/* full access to CP10 and CP11 (the FPU) before any float instruction */
	SCB_CPACR |= 0xFu << 20;
	__asm volatile("dsb\n\tisb" ::: "memory");
	memcpy(&__data_start, &__data_load,
	       (size_t)((uintptr_t)&__data_end - (uintptr_t)&__data_start));
	memset(&__bss_start, 0, (size_t)((uintptr_t)&__bss_end - (uintptr_t)&__bss_start));
	(void)main();
	board_reset();
}

/* An unexpected exception: let the watchdog, or a reset, recover. */
void default_handler(void)
{
	board_reset();
}
