#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real node ELF (test build) on an emulated Cortex-M4 (qemu-system-arm -M
# mps2-an386), its link UART on a loopback TCP port, the stimulus UART on
# another; sblink-frame plays sensord's part byte for byte: HELLO seen and
# ACKed (no more retransmissions), a 1 kHz test tone's LAeq computed on the
# MCU within 0.2 dB of its set level, door stimulus -> debounced DOOR frames,
# a corrupt frame counted by the node (HEARTBEAT rx_bad).
. "$(dirname "$0")/lib.sh"
it_setup
ELF=$BIN/siteboard-node-test.elf
[ -f "$ELF" ] || fail "$ELF not built (is arm-none-eabi-gcc installed? ./siteboard deps)"
command -v qemu-system-arm >/dev/null || fail "qemu-system-arm not installed (./siteboard deps)"

LINK=$(free_port)
STIM=$(free_port)
qemu-system-arm -M mps2-an386 -display none -monitor none -kernel "$ELF" \
	-serial "tcp:127.0.0.1:$LINK,server,nowait" -serial "tcp:127.0.0.1:$STIM,server,nowait" \
	>>"$WORK/qemu.log" 2>&1 &
PIDS+=("$!")
wait_for 20 "QEMU's link UART on $LINK" port_open "$LINK"
exec 3<>"/dev/tcp/127.0.0.1/$LINK"
"$BIN/sblink-frame" dump <&3 >"$WORK/frames.log" &
PIDS+=("$!")
exec 4<>"/dev/tcp/127.0.0.1/$STIM"

log "HELLO arrives and is retransmitted until ACKed"
wait_for 20 "HELLO" grep -q '^HELLO node=1 seq=1 fw=0.1.0 caps=131 ' "$WORK/frames.log"
# As sensord does, ACK each copy that comes (an ACK may cross a retransmission
# on the wire); retransmission must then stop for good.
stopped=no
for _ in 1 2 3 4 5; do
	"$BIN/sblink-frame" ack 1 1 >&3
	sleep 6
	n=$(grep -c '^HELLO' "$WORK/frames.log")
	sleep 6
	if [ "$(grep -c '^HELLO' "$WORK/frames.log")" = "$n" ]; then
		stopped=yes
		break
	fi
done
[ "$stopped" = yes ] || fail "HELLO still retransmitted after five ACKs"

# Nothing but the HELLO is ACKed here, so frames come again: pick them by seq.
seqs() { sed -n 's/^[A-Z]* node=1 seq=\([0-9]*\) .*/\1/p' "$WORK/frames.log"; }
noise_seq() { grep "^NOISE node=1 seq=$1 " "$WORK/frames.log" | head -1; }

log "a 94.00 dB 1 kHz tone: LAeq measured on the node"
"$BIN/sblink-frame" tone 9400 >&4
last=$(seqs | sort -n | tail -1)
# the period under way (or just ended, not yet seen) is mixed: take the third from now
want=$((last + 3))
wait_for 40 "noise period $want" grep -q "^NOISE node=1 seq=$want " "$WORK/frames.log"
line=$(noise_seq "$want")
laeq=$(sed 's/.* laeq=\(-\?[0-9]*\).*/\1/' <<<"$line")
err=$((laeq > 9400 ? laeq - 9400 : 9400 - laeq))
log "LAeq $laeq (hundredths of a dB) for a 9400 tone: error $err"
[ "$err" -le 20 ] || fail "LAeq $laeq is more than 0.2 dB from 94.00"
grep -q ' period=5 ' <<<"$line" || fail "period not 5 s: $line"

log "door stimulus -> DOOR frames (open, then closed)"
"$BIN/sblink-frame" door open >&4
wait_for 10 "DOOR open" grep -q '^DOOR node=1 seq=[0-9]* open=1 ' "$WORK/frames.log"
sleep 0.3
"$BIN/sblink-frame" door closed >&4
wait_for 10 "DOOR closed" grep -q '^DOOR node=1 seq=[0-9]* open=0 ' "$WORK/frames.log"
# a bounce shorter than the 50 ms debounce is no event
"$BIN/sblink-frame" door open >&4
"$BIN/sblink-frame" door closed >&4
sleep 1
opens=$(grep '^DOOR' "$WORK/frames.log" | awk '{print $3}' | sort -u | grep -c . || true)
[ "$opens" -eq 2 ] || fail "expected exactly two distinct DOOR events, got $opens: $(grep '^DOOR' "$WORK/frames.log" | head)"

log "a corrupt frame on the link is discarded and counted by the node"
"$BIN/sblink-frame" corrupt >&3
wait_for 15 "HEARTBEAT with rx_bad=1" grep -q '^HEARTBEAT node=1 .* rx_bad=1$' "$WORK/frames.log"

exec 3>&- 4>&-
echo "PASS: $TEST_NAME"
