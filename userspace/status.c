// SPDX-License-Identifier: GPL-2.0-only
/*
 * status.c - the mirrorlive target's INFO status line
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "status.h"

static const char * const phase_names[] = {
	[MIRROR_COPYING]	= "copying",
	[MIRROR_PAUSED]		= "paused",
	[MIRROR_READY]		= "ready",
	[MIRROR_FAILED]		= "failed",
};

#define NR_PHASES	(sizeof(phase_names) / sizeof(phase_names[0]))

/* A view of one field inside the line; the line is never modified. */
struct token {
	const char *s;
	size_t len;
};

/* Cut the next space-separated field off *pos; false at end of line. */
static bool next_token(const char **pos, struct token *tok)
{
	const char *p = *pos;

	while (*p == ' ')
		p++;
	tok->s = p;
	while (*p && *p != ' ')
		p++;
	tok->len = p - tok->s;
	*pos = p;
	return tok->len > 0;
}

static int parse_phase(const struct token *tok, enum mirror_phase *phase)
{
	unsigned int i;

	for (i = 0; i < NR_PHASES; i++) {
		if (strlen(phase_names[i]) == tok->len &&
		    !memcmp(phase_names[i], tok->s, tok->len)) {
			*phase = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Decimal digits only: the kernel prints %llu, never a sign or spaces. */
static int parse_u64(const char *s, size_t len, uint64_t *value)
{
	uint64_t v = 0;
	size_t i;

	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int digit = s[i] - '0';

		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - digit) / 10)
			return -EINVAL;
		v = v * 10 + digit;
	}
	*value = v;
	return 0;
}

static int parse_progress(const struct token *tok, struct mirror_status *st)
{
	const char *slash = memchr(tok->s, '/', tok->len);
	size_t head;

	if (!slash)
		return -EINVAL;
	head = slash - tok->s;
	if (parse_u64(tok->s, head, &st->copied_sectors) ||
	    parse_u64(slash + 1, tok->len - head - 1, &st->total_sectors))
		return -EINVAL;

	/* Callers convert to bytes; a count that cannot be is not real. */
	if (st->total_sectors > UINT64_MAX >> 9 ||
	    st->copied_sectors > st->total_sectors)
		return -EINVAL;
	return 0;
}

static int parse_reason(const struct token *tok, char *reason)
{
	size_t i;

	if (tok->len >= MIRROR_REASON_MAX)
		return -EINVAL;
	if (!(tok->len == 1 && tok->s[0] == '-')) {
		for (i = 0; i < tok->len; i++) {
			char c = tok->s[i];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			      c == '_'))
				return -EINVAL;
		}
	}
	memcpy(reason, tok->s, tok->len);
	reason[tok->len] = '\0';
	return 0;
}

int status_parse(const char *line, struct mirror_status *st)
{
	uint64_t * const counters[] = {
		&st->mirrored_writes, &st->dest_errors, &st->source_errors,
		&st->zero_regions, &st->max_copy_kbps,
	};
	struct token tok;
	unsigned int i;

	if (!line)
		return -EINVAL;

	if (!next_token(&line, &tok) || parse_phase(&tok, &st->phase))
		return -EINVAL;
	if (!next_token(&line, &tok) || parse_progress(&tok, st))
		return -EINVAL;
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (!next_token(&line, &tok) ||
		    parse_u64(tok.s, tok.len, counters[i]))
			return -EINVAL;
	}
	if (!next_token(&line, &tok) || parse_reason(&tok, st->reason))
		return -EINVAL;

	/* Anything further was appended by a newer kernel: ignore it. */
	return 0;
}

const char *status_phase_name(enum mirror_phase phase)
{
	if ((unsigned int)phase >= NR_PHASES)
		return "unknown";
	return phase_names[phase];
}
