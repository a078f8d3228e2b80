// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_json.c - unit tests for userspace/report_json.c
 *
 * status --json and list --json are read by programs: the exact text is
 * pinned, and it is parsed back with json-c to check every key of
 * Documentation/interface.rst, section 7.8, is there with the right JSON type.
 */
#include <string.h>

#include <json-c/json.h>

#include "unit.h"
#include "report.h"
#include "report_json.h"

/* A copying two-segment device with its table, 1 s between samples. */
static void build(struct report *r, bool with_table)
{
	static struct table_line s1[] = {
		{ 0, 2048, "mirrorlive", "copying 0/2048 0 0 0 0 0 -" },
		{ 2048, 2048, "mirrorlive", "copying 0/2048 0 0 0 0 0 -" },
	};
	static struct table_line s2[] = {
		{ 0, 2048, "mirrorlive", "copying 1024/2048 7 0 0 1 100 -" },
		{ 2048, 2048, "mirrorlive", "ready 2048/2048 1 0 0 0 100 -" },
	};
	struct table t1 = { .nr = 2, .lines = s1, .name = "vm1",
			    .major = 253, .minor = 1 };
	struct table t2 = { .nr = 2, .lines = s2, .name = "vm1",
			    .major = 253, .minor = 1 };
	struct table *t = table_new();

	assert_non_null(t);
	assert_int_equal(table_add(t, 0, 2048, "mirrorlive",
				   "7:0 0 7:2 0 2 max_copy_kbps 100"), 0);
	assert_int_equal(table_add(t, 2048, 2048, "mirrorlive",
				   "7:1 64 7:2 2048 4 region_size 128 "
				   "max_copy_kbps 100"), 0);
	assert_int_equal(report_build(&t1, &t2, 1000, with_table ? t : NULL,
				      NULL, r, NULL), 0);
	table_free(t);
}

/* The verify keys of a segment or device without a pass, and a comma. */
#define VERIFY_NONE_JSON						\
	"\"verify_state\":\"-\",\"verified_regions\":0,"		\
	"\"copied_regions\":0,\"mismatched_regions\":0,"		\
	"\"repaired_regions\":0,"

#define DEV_JSON							\
	"{\"device\":\"vm1\",\"phase\":\"copying\","			\
	"\"copied_bytes\":1572864,\"total_bytes\":2097152,"		\
	"\"progress\":75.0,\"rate_bytes_per_sec\":1572864,"		\
	"\"eta_seconds\":1,\"dest_errors\":0,\"source_errors\":0,"	\
	"\"reason\":\"-\",\"source\":[\"7:0\",\"7:1\"],"		\
	"\"destination\":[\"7:2\"],"					\
	"\"mirrored_writes\":8,\"zero_regions\":1,"			\
	"\"max_copy_bytes_per_sec\":204800,\"min_copy_bytes_per_sec\":0,"	\
	"\"yielding\":false,\"persistent\":false,"			\
	"\"dirty_regions\":null,\"metadata\":null,\"kept_since\":null,"	\
	VERIFY_NONE_JSON "\"segments\":["				\
	"{\"start_sector\":0,\"length_sectors\":2048,"			\
	"\"target\":\"mirrorlive\",\"phase\":\"copying\","		\
	"\"copied_bytes\":524288,\"total_bytes\":1048576,"		\
	"\"progress\":50.0,\"mirrored_writes\":7,\"dest_errors\":0,"	\
	"\"source_errors\":0,\"zero_regions\":1,"			\
	"\"max_copy_bytes_per_sec\":102400,\"min_copy_bytes_per_sec\":0,"	\
	"\"yielding\":false,\"reason\":\"-\","				\
	"\"persistent\":false,\"dirty_regions\":null," VERIFY_NONE_JSON	\
	"\"source\":\"7:0\",\"source_offset_sectors\":0,"		\
	"\"destination\":\"7:2\",\"destination_offset_sectors\":0,"	\
	"\"region_size_bytes\":524288,\"metadata\":null},"		\
	"{\"start_sector\":2048,\"length_sectors\":2048,"		\
	"\"target\":\"mirrorlive\",\"phase\":\"ready\","		\
	"\"copied_bytes\":1048576,\"total_bytes\":1048576,"		\
	"\"progress\":100.0,\"mirrored_writes\":1,\"dest_errors\":0,"	\
	"\"source_errors\":0,\"zero_regions\":0,"			\
	"\"max_copy_bytes_per_sec\":102400,\"min_copy_bytes_per_sec\":0,"	\
	"\"yielding\":false,\"reason\":\"-\","				\
	"\"persistent\":false,\"dirty_regions\":null," VERIFY_NONE_JSON	\
	"\"source\":\"7:1\",\"source_offset_sectors\":64,"		\
	"\"destination\":\"7:2\",\"destination_offset_sectors\":2048,"	\
	"\"region_size_bytes\":65536,\"metadata\":null}]}"

static void json_test_exact(void **state)
{
	struct report r;
	char *s;

	(void)state;
	build(&r, true);
	s = report_json_device(&r);
	report_free(&r);
	assert_non_null(s);
	assert_string_equal(s, "{\"version\":1,\"device\":" DEV_JSON "}");
	free(s);
}

static void json_test_list(void **state)
{
	struct report r[2];
	char *s;

	(void)state;
	build(&r[0], true);
	build(&r[1], true);
	s = report_json_list(r, 2);
	report_free(&r[0]);
	report_free(&r[1]);
	assert_non_null(s);
	assert_string_equal(s, "{\"version\":1,\"devices\":[" DEV_JSON ","
			    DEV_JSON "]}");
	free(s);
	s = report_json_list(NULL, 0);
	assert_string_equal(s, "{\"version\":1,\"devices\":[]}");
	free(s);
}

/*
 * Every key of Documentation/interface.rst, section 7.8, with its type;
 * unknown values are null.
 */
static const struct key_row {
	const char *key;
	enum json_type type;
} key_rows[] = {
	{ "device", json_type_string },
	{ "phase", json_type_string },
	{ "copied_bytes", json_type_int },
	{ "total_bytes", json_type_int },
	{ "progress", json_type_double },
	{ "rate_bytes_per_sec", json_type_null },
	{ "eta_seconds", json_type_null },
	{ "dest_errors", json_type_int },
	{ "source_errors", json_type_int },
	{ "reason", json_type_string },
	{ "source", json_type_null },
	{ "destination", json_type_null },
	{ "segments", json_type_array },
};

/* ... and those of a mirrorlive segment whose table is unknown */
static const char * const seg_null_keys[] = {
	"source", "source_offset_sectors", "destination",
	"destination_offset_sectors", "region_size_bytes",
};

static void json_test_keys_unknown(void **state)
{
	static struct table_line s[] = {
		{ 0, 8, "mirrorlive", "copying 1/8 0 0 0 0 0 -" },
	};
	struct table ts = { .nr = 1, .lines = s, .name = "vm9",
			    .major = 253, .minor = 9 };
	struct json_object *doc, *root, *v, *seg;
	struct report r;
	size_t i;
	char *text;

	(void)state;
	assert_int_equal(report_build(&ts, NULL, 0, NULL, NULL, &r, NULL), 0);
	text = report_json_device(&r);
	report_free(&r);
	assert_non_null(text);
	doc = json_tokener_parse(text);
	free(text);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "version", &v));
	assert_int_equal(json_object_get_int(v), REPORT_JSON_VERSION);
	assert_true(json_object_object_get_ex(doc, "device", &root));
	assert_true(json_object_object_get_ex(root, "segments", &v));
	seg = json_object_array_get_idx(v, 0);
	assert_non_null(seg);
	for (i = 0; i < ARRAY_SIZE(seg_null_keys); i++) {
		if (!json_object_object_get_ex(seg, seg_null_keys[i], &v))
			fail_msg("segment key %s missing", seg_null_keys[i]);
		if (json_object_get_type(v) != json_type_null)
			fail_msg("segment key %s is not null", seg_null_keys[i]);
	}
	for (i = 0; i < ARRAY_SIZE(key_rows); i++) {
		if (!json_object_object_get_ex(root, key_rows[i].key, &v))
			fail_msg("key %s missing", key_rows[i].key);
		if (json_object_get_type(v) != key_rows[i].type)
			fail_msg("key %s has type %s", key_rows[i].key,
				 json_type_to_name(json_object_get_type(v)));
	}
	assert_true(json_object_object_get_ex(root, "progress", &v));
	assert_true(json_object_get_double(v) == 12.5);
	json_object_put(doc);
}

/* Large values stay exact: JSON numbers are 64-bit unsigned here. */
static void json_test_large(void **state)
{
	static struct table_line s[] = {
		{ 0, 36028797018963967ULL, "mirrorlive",
		  "ready 36028797018963967/36028797018963967 "
		  "18446744073709551615 0 0 0 0 -" },
	};
	struct table ts = { .nr = 1, .lines = s, .name = "big",
			    .major = 253, .minor = 9 };
	struct report r;
	char *text;

	(void)state;
	assert_int_equal(report_build(&ts, NULL, 0, NULL, NULL, &r, NULL), 0);
	text = report_json_device(&r);
	report_free(&r);
	assert_non_null(strstr(text, "\"total_bytes\":18446744073709551104,"));
	assert_non_null(strstr(text,
			       "\"mirrored_writes\":18446744073709551615,"));
	free(text);
}

/* Names with quotes, backslashes and slashes are escaped once. */
static void json_test_escape(void **state)
{
	static struct table_line s[] = {
		{ 0, 8, "mirrorlive", "ready 8/8 0 0 0 0 0 -" },
	};
	struct table ts = { .nr = 1, .lines = s, .name = "a\"b\\c/d",
			    .major = 253, .minor = 9 };
	struct report r;
	char *text;

	(void)state;
	assert_int_equal(report_build(&ts, NULL, 0, NULL, NULL, &r, NULL), 0);
	text = report_json_device(&r);
	report_free(&r);
	assert_non_null(strstr(text, "\"device\":{\"device\":\"a\\\"b\\\\c/d\","));
	free(text);
}

int main(void)
{
	struct unit_suite suite = { 0 };

	unit_add(&suite, json_test_exact, NULL, "json_test_exact");
	unit_add(&suite, json_test_list, NULL, "json_test_list");
	unit_add(&suite, json_test_keys_unknown, NULL, "json_test_keys_unknown");
	unit_add(&suite, json_test_large, NULL, "json_test_large");
	unit_add(&suite, json_test_escape, NULL, "json_test_escape");

	return unit_run(&suite, "json");
}
