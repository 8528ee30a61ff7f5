#!/bin/bash
# Runs inside the container, as a oneshot unit, with systemd as PID 1: installs the .deb,
# points it at interlink-sim on loopback, and checks the unit. Results go to /results.txt;
# then the container powers off.
set -u
results=/results.txt
: > "$results"
pass() { echo "PASS $1" >> "$results"; }
fail() { echo "FAIL $1: $2" >> "$results"; }
check() {
  local name=$1; shift
  if "$@" > /tmp/check.out 2>&1; then pass "$name"; else fail "$name" "$* said: $(tail -5 /tmp/check.out | tr '\n' ' ')"; fi
}
waitfor() { local seconds=$1; shift; for _ in $(seq 1 $((seconds * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1; }

dpkg -i /opt/interlink/interlink.deb > /tmp/dpkg.log 2>&1 && pass "the .deb installs" || { fail "the .deb installs" "$(tail -3 /tmp/dpkg.log)"; systemctl poweroff; exit; }
check "installing does not start the service" bash -c '! systemctl is-active --quiet interlinkd'

/usr/local/bin/interlink-sim --register-port 38080 --civil-registry-port 38081 --land-port 38082 --insurance-port 38083 \
  --fixtures /opt/interlink/dossiers --parcels /opt/interlink/land-parcels.json --decision-delay-ms 200 > /tmp/sim.json 2> /tmp/sim.log &
waitfor 10 test -s /tmp/sim.json
for service in register civil-registry land insurance; do
  printf 'demo-%s-token\n' "$service" > "/etc/interlink/credentials/$service.token"
done
chmod 0600 /etc/interlink/credentials/*.token

# The shipped example config, as a province installs it (tokens in credentials, its CA beside it),
# passes --check-config inside the unit's own sandbox: a drop-in swaps only ExecStart and Type.
printf -- '-----BEGIN CERTIFICATE-----\n' > /etc/interlink/province-ca.pem
chmod 0644 /etc/interlink/province-ca.pem
mkdir -p /run/systemd/system/interlinkd.service.d
printf '[Service]\nType=oneshot\nRestart=no\nWatchdogSec=0\nExecStart=\nExecStart=/usr/bin/interlinkd --check-config\n' \
  > /run/systemd/system/interlinkd.service.d/check-config.conf
systemctl daemon-reload
check "the shipped example config passes --check-config as the service (DynamicUser, credentials, CA beside it)" \
  bash -c 'systemctl start interlinkd || { journalctl -u interlinkd -o cat --no-pager | tail -5; exit 1; }'
rm -r /run/systemd/system/interlinkd.service.d
systemctl daemon-reload

cp /opt/interlink/interlink.json /etc/interlink/interlink.json
chmod 0644 /etc/interlink/interlink.json

# Type=notify: `systemctl start` returns once READY=1 came, and the unit is active.
systemctl start interlinkd
check "active only after READY (Type=notify)" bash -c 'systemctl is-active --quiet interlinkd && [ -n "$(systemctl show -p StatusText --value interlinkd)" ]'
check "DynamicUser reads the config and writes StateDirectory" waitfor 20 test -e /var/lib/private/interlink/journal.sqlite
check "tokens arrive through LoadCredential (nothing refused)" waitfor 60 bash -c \
  '[ "$(curl -s --max-time 3 127.0.0.1:38080/_sim/interconnections | grep -o "\"dossierVersion\"" | wc -l)" -ge 15 ]'
check "the syscall filter and MemoryDenyWriteExecute let the Swift runtime run" bash -c \
  '[ "$(systemctl show -p NRestarts --value interlinkd)" = 0 ] && systemctl is-active --quiet interlinkd'
check "journalctl DOSSIER= finds a dossier's lines" bash -c '[ -n "$(journalctl -u interlinkd DOSSIER=H12.22-251120-0001 -o cat)" ]'
check "journal entries carry MESSAGE_ID" bash -c '[ -n "$(journalctl -u interlinkd MESSAGE_ID=3f1c6a0d9b7e4c52a1e8f0b2c4d6e801 -o cat)" ]'

systemctl reload interlinkd
check "systemctl reload reloads" waitfor 10 bash -c 'journalctl -u interlinkd -o cat | grep -q "configuration reloaded"'
cp /etc/interlink/interlink.json /tmp/good.json
echo '{"register": {}}' > /etc/interlink/interlink.json
systemctl reload interlinkd
check "systemctl reload refuses a bad config and keeps running" waitfor 10 bash -c \
  'journalctl -u interlinkd -o cat | grep -q "reload refused" && systemctl is-active --quiet interlinkd'
cp /tmp/good.json /etc/interlink/interlink.json

# The watchdog: a stalled daemon (SIGSTOP) misses its keep-alives and is restarted.
pid=$(systemctl show -p MainPID --value interlinkd)
kill -STOP "$pid"
check "the watchdog restarts a stalled daemon" waitfor 90 bash -c \
  '[ "$(systemctl show -p NRestarts --value interlinkd)" -ge 1 ] && systemctl is-active --quiet interlinkd && [ "$(systemctl show -p MainPID --value interlinkd)" != '"$pid"' ]'

exposure=$(systemd-analyze security interlinkd --no-pager 2>/dev/null | grep -o 'exposure level for interlinkd.service: [0-9.]*' | awk '{print $NF}')
check "systemd-analyze security exposure below 2.0 (was $exposure)" awk -v e="$exposure" 'BEGIN { exit !(e != "" && e < 2.0) }'

systemctl stop interlinkd
check "systemctl stop drains and exits 0" bash -c \
  'journalctl -u interlinkd -o cat | grep -q "sync stopped" && [ "$(systemctl show -p ExecMainStatus --value interlinkd)" = 0 ]'
journalctl -u interlinkd -o cat > /results-journal.txt 2>&1
systemctl poweroff
