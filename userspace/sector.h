/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sector.h - the kernel's unit of block device length
 *
 * Table lines, status fields and offsets count 512-byte sectors
 * (Documentation/interface.rst, "Terms"); mirrorctl converts to bytes with
 * this shift, as the kernel does.
 */
#ifndef MIRRORCTL_SECTOR_H
#define MIRRORCTL_SECTOR_H

#define SECTOR_SHIFT	9

#endif /* MIRRORCTL_SECTOR_H */
