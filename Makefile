# SPDX-License-Identifier: GPL-2.0-only
#
# dm-mirrorlive: the kernel module (Kbuild), mirrorctl (userspace/) and the
# test lanes (tests/).
#
#   make                 module + mirrorctl
#   make install         module under /lib/modules/<kver>/extra + depmod;
#                        mirrorctl and the dmsetup scripts (mirrorlive-*)
#                        under /usr/local/sbin, mirrorctl.8 and
#                        mirrorlive-start.8 (the scripts' page), the bash
#                        completion (INSTALL_MOD_PATH= and DESTDIR= stage
#                        them elsewhere, PREFIX= moves them)
#   make uninstall       remove what make install installed
#   make check           every test lane (installs its Debian packages as root):
#                        build, unit, kunit, vm (guest 6.1), vm-6.12, demo
#   make check-fast      build, unit and kunit lanes (no guests)
#   make check-debug     every vm case and tests/debug/cases on a 6.1 kernel
#                        built with lockdep, KASAN, kmemleak and fault
#                        injection (first build ~1 h; not part of make check)
#   make demo            boot a guest and show a migration
#   make stress          the full randomized stress set: 200 seedable runs
#                        (STRESS_RUNS, STRESS_SEED, STRESS_CHUNK runs per
#                        guest; make check runs a 5-run version)
#   make bench           benchmarks against dm-linear and dm-mirror (one
#                        guest, ~25 min; results in build/test-results/bench)
#   make fuzz            libFuzzer on mirrorctl's parsers, FUZZ_SECONDS each
#                        (default 60; not part of make check; tests/fuzz/)
#
# KDIR selects the kernel to build against. By default: the running kernel's
# build directory when it exists, else the newest installed Debian
# linux-headers-*-amd64 (the running kernel of a container or CI machine
# often has no headers).

KDIR ?= $(shell \
	if [ -d /lib/modules/$$(uname -r)/build ]; then \
		echo /lib/modules/$$(uname -r)/build; \
	else \
		ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n 1; \
	fi)
KERNELRELEASE_OF_KDIR = $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)

PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MAN8DIR ?= $(PREFIX)/share/man/man8
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# the dmsetup scripts and their library; mirrorlive-* in SBINDIR link here
SCRIPTDIR ?= $(PREFIX)/lib/dm-mirrorlive
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SCRIPTS := mirrorlive-start mirrorlive-status mirrorlive-wait \
	   mirrorlive-complete mirrorlive-cancel mirrorlive-commit mirrorlive-revert

.PHONY: all module mirrorctl install install-module install-mirrorctl \
	uninstall uninstall-module uninstall-mirrorctl \
	clean clean-module check check-fast check-unit check-kunit check-vm check-vm-6.12 \
	check-build check-demo check-debug demo bench fuzz stress deps help

all: module mirrorctl

module:
	@if [ -z "$(KDIR)" ] || [ ! -d "$(KDIR)" ]; then \
		echo "make: no kernel headers found; install linux-headers-amd64 or set KDIR=" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

mirrorctl:
	$(MAKE) -C userspace

install: install-module install-mirrorctl

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KERNELRELEASE_OF_KDIR)

install-mirrorctl: mirrorctl
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) \
		SBINDIR=$(SBINDIR)
	install -d $(DESTDIR)$(MAN8DIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(SCRIPTDIR)
	install -m 0644 Documentation/mirrorctl.8 \
		Documentation/mirrorlive-start.8 $(DESTDIR)$(MAN8DIR)/
	install -m 0644 userspace/mirrorctl.bash-completion \
		$(DESTDIR)$(BASHCOMPDIR)/mirrorctl
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed 's|/usr/sbin/mirrorctl|$(SBINDIR)/mirrorctl|' \
		systemd/mirrorctl-restore.service > \
		$(DESTDIR)$(SYSTEMDUNITDIR)/mirrorctl-restore.service
	install -m 0644 dmsetup-scripts/mirrorlive-lib.sh \
		dmsetup-scripts/mirrorlive-abi.sh $(DESTDIR)$(SCRIPTDIR)/
	for s in $(SCRIPTS); do \
		install -m 0755 dmsetup-scripts/$$s $(DESTDIR)$(SCRIPTDIR)/$$s && \
		ln -sf $(SCRIPTDIR)/$$s $(DESTDIR)$(SBINDIR)/$$s || exit 1; \
	done
	# one page for the five scripts
	for s in $(filter-out mirrorlive-start,$(SCRIPTS)); do \
		ln -sf mirrorlive-start.8 $(DESTDIR)$(MAN8DIR)/$$s.8 || exit 1; \
	done

uninstall: uninstall-module uninstall-mirrorctl

uninstall-module:
	rm -f $(INSTALL_MOD_PATH)/lib/modules/$(KERNELRELEASE_OF_KDIR)/extra/dm-mirrorlive.ko*
	depmod -a $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) $(KERNELRELEASE_OF_KDIR)

uninstall-mirrorctl:
	rm -f $(DESTDIR)$(SBINDIR)/mirrorctl $(DESTDIR)$(MAN8DIR)/mirrorctl.8 \
		$(DESTDIR)$(BASHCOMPDIR)/mirrorctl \
		$(DESTDIR)$(SYSTEMDUNITDIR)/mirrorctl-restore.service
	for s in $(SCRIPTS); do \
		rm -f $(DESTDIR)$(SBINDIR)/$$s $(DESTDIR)$(SCRIPTDIR)/$$s \
			$(DESTDIR)$(MAN8DIR)/$$s.8; \
	done
	rm -f $(DESTDIR)$(SCRIPTDIR)/mirrorlive-lib.sh \
		$(DESTDIR)$(SCRIPTDIR)/mirrorlive-abi.sh
	-rmdir $(DESTDIR)$(SCRIPTDIR) 2>/dev/null

clean-module:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
	fi

clean: clean-module
	$(MAKE) -C userspace clean
	rm -rf build

deps:
	tests/deps.sh

check:
	tests/check.sh build unit kunit vm vm-6.12 demo

check-fast:
	tests/check.sh build unit kunit

check-build:
	tests/check.sh build

check-unit:
	tests/check.sh unit

check-kunit:
	tests/check.sh kunit

check-vm:
	tests/check.sh vm

check-vm-6.12:
	tests/check.sh vm-6.12

check-demo:
	tests/check.sh demo

check-debug:
	tests/check.sh debug

demo:
	tests/demo.sh

bench:
	tests/bench/run.sh

fuzz:
	tests/fuzz/run.sh

stress:
	tests/vm/stress.sh

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'
