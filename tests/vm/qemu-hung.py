#!/usr/bin/env python3
"""qemu-hung.py MONITOR_SOCKET [SYSTEM_MAP]: what a hung guest's vCPUs do.

Called by run.sh's boot_watchdog before it kills a guest that never reached
init.  Asks the QEMU monitor (a unix socket) three times, 1 s apart, for
every vCPU's registers, then once for the local APICs and the interrupt
counts, and prints the answers; with a System.map, each RIP is followed by
the kernel symbol it falls in, so one sees whether the vCPUs halt in the
idle loop (a lost interrupt) or spin somewhere.
"""
import bisect
import re
import socket
import sys
import time


def load_symbols(path):
    addrs, names = [], []
    try:
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 3 and parts[1] in 'tTwW':
                    addrs.append(int(parts[0], 16))
                    names.append(parts[2])
    except OSError:
        return [], []
    order = sorted(range(len(addrs)), key=addrs.__getitem__)
    return [addrs[i] for i in order], [names[i] for i in order]


def symbolize(text, addrs, names):
    if not addrs:
        return text

    def sym(m):
        rip = int(m.group(1), 16)
        i = bisect.bisect_right(addrs, rip) - 1
        if i < 0:
            return m.group(0)
        return '%s <%s+0x%x>' % (m.group(0), names[i], rip - addrs[i])
    return re.sub(r'RIP=([0-9a-f]{16})', sym, text)


class Monitor:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.settimeout(2)
        self.s.connect(path)
        self.read()             # the banner and the first prompt

    def read(self):
        out = b''
        while not out.endswith(b'(qemu) '):
            try:
                data = self.s.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            out += data
        return out.decode(errors='replace').replace('\r', '')

    def ask(self, cmd):
        self.s.sendall(cmd.encode() + b'\n')
        # drop the monitor's echo of the command (with its line editing)
        return '\n'.join(l for l in self.read().split('\n')
                         if '\x1b' not in l and not l.startswith('(qemu)'))


# The registers that say where a vCPU is, not its FPU and vector state.
WANTED = re.compile(r'^(CPU#|R[A-Z0-9 ]{2}=|RIP=|CR0=)')


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: qemu-hung.py MONITOR_SOCKET [SYSTEM_MAP]')
    addrs, names = load_symbols(sys.argv[2]) if len(sys.argv) > 2 else ([], [])
    try:
        mon = Monitor(sys.argv[1])
    except OSError as e:
        sys.exit('qemu-hung: cannot reach the QEMU monitor at %s: %s'
                 % (sys.argv[1], e))
    try:
        for i in range(3):
            print('=== info registers -a, sample %d' % (i + 1))
            regs = mon.ask('info registers -a').split('\n')
            print(symbolize('\n'.join(l for l in regs if WANTED.match(l)),
                            addrs, names))
            time.sleep(1)
        for cmd in ('info cpus', 'info lapic', 'info irq', 'info pic'):
            print('=== ' + cmd)
            print(mon.ask(cmd))
    except OSError as e:
        sys.exit('qemu-hung: the QEMU monitor went away: %s' % e)


if __name__ == '__main__':
    main()
