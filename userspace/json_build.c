// SPDX-License-Identifier: GPL-2.0-only
/* json_build.c - building a json-c document; see json_build.h */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_build.h"
#include "log.h"

void jb_add(struct json_build *b, struct json_object *obj, const char *key,
	    struct json_object *val)
{
	if (!obj || json_object_object_add(obj, key, val)) {
		json_object_put(val);
		b->failed++;
	}
}

void jb_append(struct json_build *b, struct json_object *arr,
	       struct json_object *val)
{
	if (!arr || json_object_array_add(arr, val)) {
		json_object_put(val);
		b->failed++;
	}
}

static struct json_object *counted(struct json_build *b,
				   struct json_object *o)
{
	if (!o)
		b->failed++;
	return o;
}

struct json_object *jb_object(struct json_build *b)
{
	return counted(b, json_object_new_object());
}

struct json_object *jb_array(struct json_build *b)
{
	return counted(b, json_object_new_array());
}

struct json_object *jb_u64(struct json_build *b, uint64_t v)
{
	return counted(b, json_object_new_uint64(v));
}

struct json_object *jb_int(struct json_build *b, int64_t v)
{
	return counted(b, json_object_new_int64(v));
}

struct json_object *jb_bool(struct json_build *b, bool v)
{
	return counted(b, json_object_new_boolean(v));
}

struct json_object *jb_double(struct json_build *b, double v,
			      const char *text)
{
	return counted(b, json_object_new_double_s(v, text));
}

struct json_object *jb_str(struct json_build *b, const char *s)
{
	return s ? counted(b, json_object_new_string(s)) : NULL;
}

char *jb_text(struct json_build *b, struct json_object *root)
{
	const int flags = JSON_C_TO_STRING_PLAIN |
			  JSON_C_TO_STRING_NOSLASHESCAPE;
	const char *text = NULL;
	char *copy = NULL;

	if (root && !b->failed)
		text = json_object_to_json_string_ext(root, flags);
	if (text)
		copy = strdup(text);
	json_object_put(root);
	return copy;
}

int jb_print(char *text)
{
	if (!text) {
		log_err("JSON output: %s", strerror(ENOMEM));
		return -ENOMEM;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}
