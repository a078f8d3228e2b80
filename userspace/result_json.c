// SPDX-License-Identifier: GPL-2.0-only
/*
 * result_json.c - what start, complete and cancel did, as JSON; see
 * result_json.h
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "errors.h"
#include "log.h"
#include "report_json.h"
#include "result_json.h"

/* @t as dmsetup prints it, without the last newline; NULL for none */
static struct json_object *table_json(const struct table *t, int *failed)
{
	struct json_object *o;
	char *text;
	size_t len;

	if (!t)
		return NULL;
	text = table_format(t);
	if (!text) {
		(*failed)++;
		return NULL;
	}
	len = strlen(text);
	if (len && text[len - 1] == '\n')
		text[len - 1] = '\0';
	o = json_object_new_string(text);
	free(text);
	if (!o)
		(*failed)++;
	return o;
}

/* Add @val (may be NULL: JSON null) to @obj as @key. */
static void put(struct json_object *obj, const char *key,
		struct json_object *val, int *failed)
{
	if (json_object_object_add(obj, key, val)) {
		json_object_put(val);
		(*failed)++;
	}
}

static struct json_object *device_json(const struct swap_dev *d, int *failed)
{
	struct json_object *o = json_object_new_object();
	const char *name = d->info.name[0] ? d->info.name : d->arg;

	if (!o) {
		(*failed)++;
		return NULL;
	}
	put(o, "device", json_object_new_string(name), failed);
	put(o, "switched", json_object_new_boolean(d->swapped), failed);
	put(o, "old_table", table_json(d->live, failed), failed);
	put(o, "new_table", table_json(d->next, failed), failed);
	return o;
}

int result_json_print(const char *action, const struct swap_dev *d, int nr,
		      int r, uint64_t window_us)
{
	struct json_object *root, *devs, *errs, *o;
	const char * const *kept;
	size_t nr_kept, k;
	int failed = 0, i, all = nr > 0;
	char ms[32];
	const char *text;

	root = json_object_new_object();
	devs = json_object_new_array();
	errs = json_object_new_array();
	if (!root || !devs || !errs) {
		json_object_put(root);
		json_object_put(devs);
		json_object_put(errs);
		log_err("%s --json: %s", action, strerror(ENOMEM));
		return -ENOMEM;
	}
	for (i = 0; d && i < nr; i++) {
		all &= d[i].swapped;
		o = device_json(&d[i], &failed);
		if (o && json_object_array_add(devs, o)) {
			json_object_put(o);
			failed++;
		}
	}
	kept = log_kept_errors(&nr_kept);
	for (k = 0; k < nr_kept; k++) {
		o = json_object_new_string(kept[k]);
		if (!o || json_object_array_add(errs, o)) {
			json_object_put(o);
			failed++;
		}
	}
	snprintf(ms, sizeof(ms), "%llu.%03llu",
		 (unsigned long long)(window_us / 1000),
		 (unsigned long long)(window_us % 1000));
	put(root, "version", json_object_new_int(REPORT_JSON_VERSION), &failed);
	put(root, "action", json_object_new_string(action), &failed);
	put(root, "exit_code", json_object_new_int(mctl_exit_code(r)), &failed);
	put(root, "switched", json_object_new_boolean(!r && all), &failed);
	put(root, "suspend_ms", window_us != SWAP_NO_WINDOW ?
	    json_object_new_double_s((double)window_us / 1000, ms) : NULL,
	    &failed);
	put(root, "devices", devs, &failed);
	put(root, "errors", errs, &failed);
	text = failed ? NULL : json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!text) {
		json_object_put(root);
		log_err("%s --json: %s", action, strerror(ENOMEM));
		return -ENOMEM;
	}
	r = printf("%s\n", text) < 0 ? -EIO : 0;
	json_object_put(root);
	return r;
}
