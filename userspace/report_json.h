/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report_json.h - status --json and list --json (json-c)
 *
 * One of the two renderers of a device report (report.h); its twin is
 * report_human.h, the same report as text for status and list.  The two
 * are laid out alike, function for function: a mirrorlive segment's
 * status, a segment's header, a segment, the segments, the device, the
 * list.  A value added to one is looked for in the other.
 *
 * One JSON document per call, on one line, versioned
 * (Documentation/interface.rst, section 7.8):
 *
 *   status --json   {"version": 1, "device": <device>}
 *   list --json     {"version": 1, "devices": [<device>, ...]}
 *   monitor         {"version": 1, "event": "phase", "time": T,
 *                    "device": <device>}, one a line
 *
 * REPORT_JSON_VERSION changes when a key changes meaning or type or goes
 * away; keys are only ever added within a version.  A value that is not
 * known is null, never left out.  A device:
 *
 *   device, phase, copied_bytes, total_bytes,
 *   progress            percent copied, 0.0 .. 100.0, one decimal, rounded
 *                       down (100.0 only when everything is copied)
 *   rate_bytes_per_sec  null when unknown
 *   eta_seconds         null when unknown
 *   dest_errors, source_errors,
 *   reason              "-" or the kernel's reason token
 *   source, destination arrays of the distinct devices, in table order;
 *                       null when no line's table is known
 *   mirrored_writes, zero_regions, max_copy_bytes_per_sec (0 = unlimited)
 *   persistent, dirty_regions, metadata, kept_since,
 *   verify_state, verified_regions, copied_regions, mismatched_regions,
 *   repaired_regions    the last verify pass (report.h); "-" and 0s when
 *                       none ran
 *   segments[]          per table line: start_sector, length_sectors,
 *                       target, and for mirrorlive lines phase,
 *                       copied_bytes, total_bytes, progress, mirrored_writes,
 *                       dest_errors, source_errors, zero_regions,
 *                       max_copy_bytes_per_sec, reason, persistent,
 *                       dirty_regions, the five verify keys, source,
 *                       source_offset_sectors, destination,
 *                       destination_offset_sectors, region_size_bytes
 *                       (the last five null when the line's table is
 *                       unknown)
 */
#ifndef MIRRORCTL_REPORT_JSON_H
#define MIRRORCTL_REPORT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "json_build.h"
#include "report.h"

#define REPORT_JSON_VERSION	1

/*
 * report_json_device - the JSON text of one device (status --json; the
 * text's report_human_device())
 * report_json_list - the JSON text of a list of devices (list --json; the
 * text's report_human_list())
 *
 * Return a string the caller frees, or NULL when out of memory.  Unlike
 * their twins they do not print: the caller says when memory ran out.
 */
char *report_json_device(const struct report *r);
char *report_json_list(const struct report *r, size_t nr);

/*
 * report_json_event - one line of monitor (monitor.h):
 * {"version":1,"event":@event,"time":@time_s,"device":<device>}
 */
char *report_json_event(const char *event, uint64_t time_s,
			const struct report *r);

/*
 * report_json_verify - add the keys of a verify pass to @o: verify_state,
 * verified_regions, copied_regions, mismatched_regions, repaired_regions
 * (of a segment, or summed for a device; verify --json shares them)
 */
void report_json_verify(struct json_build *b, struct json_object *o,
			enum mirror_verify verify, uint64_t verified,
			uint64_t copied, uint64_t mismatched,
			uint64_t repaired);

#endif /* MIRRORCTL_REPORT_JSON_H */
