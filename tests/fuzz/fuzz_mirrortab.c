// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_mirrortab.c - a line of the mirrortab, which restore reads at boot
 *
 * The input is one line (up to its first newline; the rest is ignored).
 * mirrortab_parse_line() must return one of its three results, a reason
 * for every refusal, and for an entry fields that hold what the contract
 * of mirrortab.h allows (an absolute path, a name without '/', a region
 * size that is a power of two). An entry that formats back (fields of
 * one word each) must parse back to the same entry: what start writes,
 * restore reads.
 */
#include "fuzz.h"
#include "mirrortab.h"

static bool odd_field(const char *s)
{
	return !*s || *s == '#' || s[strcspn(s, " \t\n\\,")];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size), buf[2048];
	struct mirrortab_entry e, back;
	const char *why = NULL, *why2 = NULL;
	int r, f;

	text[strcspn(text, "\n")] = '\0';
	r = mirrortab_parse_line(text, &e, &why);
	FUZZ_CHECK(r == 1 || r == 0 || r == -EINVAL, "parse: %d", r);
	FUZZ_CHECK(r != -EINVAL || (why && *why), "a refusal without a reason");
	if (r == 1) {
		FUZZ_CHECK(e.name[0] && !strchr(e.name, '/'), "NAME '%s'",
			   e.name);
		FUZZ_CHECK(e.source[0] == '/' && e.dest[0] == '/' &&
			   e.metadata[0] == '/', "paths not absolute");
		FUZZ_CHECK(!(e.opts.region_sectors &
			     (e.opts.region_sectors - 1)),
			   "region_size %u", e.opts.region_sectors);
		f = mirrortab_format_entry(&e, buf, sizeof(buf));
		FUZZ_CHECK(f == 0 || f == -EINVAL, "format: %d", f);
		FUZZ_CHECK(f == 0 || odd_field(e.name) || odd_field(e.source) ||
			   odd_field(e.dest) || odd_field(e.metadata) ||
			   (e.opts.uuid[0] && odd_field(e.opts.uuid)),
			   "format refused an entry of plain words");
		if (!f) {
			buf[strcspn(buf, "\n")] = '\0';
			FUZZ_CHECK(mirrortab_parse_line(buf, &back, &why2) == 1,
				   "'%s' does not parse back: %s", buf,
				   why2 ? why2 : "?");
			FUZZ_CHECK(!memcmp(&back, &e, sizeof(e)),
				   "'%s' parses back to another entry", buf);
		}
	}
	free(text);
	return 0;
}
