/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json_build.h - building a json-c document, counting allocation failures
 *
 * json-c objects are reference counted: a successful add to an object or
 * array takes over the value's reference, so only the root needs a
 * json_object_put(); a failed one leaves it with us, and jb_add() drops
 * it.  Out of memory is caught once, at the end, by jb_text(): every
 * constructor here counts its failure in the builder.  A NULL value is
 * JSON null.
 */
#ifndef MIRRORCTL_JSON_BUILD_H
#define MIRRORCTL_JSON_BUILD_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

struct json_build {
	int failed;
};

void jb_add(struct json_build *b, struct json_object *obj, const char *key,
	    struct json_object *val);
void jb_append(struct json_build *b, struct json_object *arr,
	       struct json_object *val);
struct json_object *jb_object(struct json_build *b);
struct json_object *jb_array(struct json_build *b);
struct json_object *jb_u64(struct json_build *b, uint64_t v);
struct json_object *jb_int(struct json_build *b, int64_t v);
struct json_object *jb_bool(struct json_build *b, bool v);
/* a number printed as @text (json-c's double_s) */
struct json_object *jb_double(struct json_build *b, double v,
			      const char *text);
/* NULL @s is JSON null */
struct json_object *jb_str(struct json_build *b, const char *s);

/*
 * jb_text() - @root as one line of plain JSON, malloc()ed, and drop
 * @root; NULL when any step of the building (or this one) failed.
 */
char *jb_text(struct json_build *b, struct json_object *root);

/*
 * jb_print() - print @text (from jb_text(), or a renderer built on it) and
 * a newline on stdout, and free it.  Returns 0, or -ENOMEM with a message
 * when @text is NULL.
 */
int jb_print(char *text);

#endif /* MIRRORCTL_JSON_BUILD_H */
