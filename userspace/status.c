// SPDX-License-Identifier: GPL-2.0-only
/*
 * status.c - the mirrorlive target's INFO status line
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "decimal.h"
#include "sector.h"
#include "status.h"

static const char * const phase_names[] = {
	[MIRROR_COPYING]	= MIRRORLIVE_PHASE_NAME_COPYING,
	[MIRROR_PAUSED]		= MIRRORLIVE_PHASE_NAME_PAUSED,
	[MIRROR_READY]		= MIRRORLIVE_PHASE_NAME_READY,
	[MIRROR_FAILED]		= MIRRORLIVE_PHASE_NAME_FAILED,
};

static const char * const verify_names[] = {
	[MIRROR_VERIFY_NONE]		= MIRRORLIVE_VERIFY_NAME_NONE,
	[MIRROR_VERIFY_VERIFYING]	= MIRRORLIVE_VERIFY_NAME_VERIFYING,
	[MIRROR_VERIFY_REPAIRING]	= MIRRORLIVE_VERIFY_NAME_REPAIRING,
	[MIRROR_VERIFY_DONE]		= MIRRORLIVE_VERIFY_NAME_DONE,
	[MIRROR_VERIFY_STOPPED]		= MIRRORLIVE_VERIFY_NAME_STOPPED,
	[MIRROR_VERIFY_ERROR]		= MIRRORLIVE_VERIFY_NAME_ERROR,
};

#define NR_PHASES	(sizeof(phase_names) / sizeof(phase_names[0]))
#define NR_VERIFY	(sizeof(verify_names) / sizeof(verify_names[0]))

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

/* The index of the name @tok is in @names, or -EINVAL. */
static int parse_name(const struct token *tok, const char * const *names,
		      unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (strlen(names[i]) == tok->len &&
		    !memcmp(names[i], tok->s, tok->len))
			return i;
	return -EINVAL;
}

static int parse_phase(const struct token *tok, enum mirror_phase *phase)
{
	int i = parse_name(tok, phase_names, NR_PHASES);

	if (i < 0)
		return i;
	*phase = i;
	return 0;
}

static int parse_verify(const struct token *tok, enum mirror_verify *verify)
{
	int i = parse_name(tok, verify_names, NR_VERIFY);

	if (i < 0)
		return i;
	*verify = i;
	return 0;
}

/*
 * A count: decimal digits only, the whole token (the kernel prints %llu,
 * never a sign or spaces); -EINVAL or -ERANGE otherwise.
 */
static int parse_count(const struct token *tok, uint64_t *value)
{
	return decimal_u64(tok->s, tok->len, value, NULL);
}

/* "<a>/<b>": two counts in one field. */
static int parse_pair(const struct token *tok, uint64_t *a, uint64_t *b)
{
	const char *slash = memchr(tok->s, '/', tok->len);
	size_t head;

	if (!slash)
		return -EINVAL;
	head = slash - tok->s;
	if (decimal_u64(tok->s, head, a, NULL) ||
	    decimal_u64(slash + 1, tok->len - head - 1, b, NULL))
		return -EINVAL;
	return 0;
}

static int parse_progress(const struct token *tok, struct mirror_status *st)
{
	if (parse_pair(tok, &st->copied_sectors, &st->total_sectors))
		return -EINVAL;

	/* Callers convert to bytes; a count that cannot be is not real. */
	if (st->total_sectors > UINT64_MAX >> SECTOR_SHIFT ||
	    st->copied_sectors > st->total_sectors)
		return -EINVAL;
	return 0;
}

static int parse_reason(const struct token *tok, char *reason)
{
	size_t i;

	if (tok->len >= MIRROR_REASON_MAX)
		return -EINVAL;
	if (strlen(MIRRORLIVE_REASON_NAME_NONE) != tok->len ||
	    memcmp(tok->s, MIRRORLIVE_REASON_NAME_NONE, tok->len)) {
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

/*
 * <yielding>: "-" exactly when <min_copy_kbps> is 0, else "y" or "n"; a
 * kbps above 32 bits is refused here, once both fields are known.
 */
static int parse_yielding(const struct token *tok, struct mirror_status *st)
{
	char c = tok->len == 1 ? tok->s[0] : '\0';

	if (st->min_copy_kbps > UINT32_MAX ||
	    (c == '-') != !st->min_copy_kbps ||
	    (c != '-' && c != 'y' && c != 'n'))
		return -EINVAL;
	st->yielding = c == 'y';
	return 0;
}

/* Parse field @field (kernel/mirrorlive-abi.h's numbering) into @st. */
static int parse_field(unsigned int field, const struct token *tok,
		       struct mirror_status *st)
{
	switch (field) {
	case MIRRORLIVE_STATUS_PHASE:
		return parse_phase(tok, &st->phase);
	case MIRRORLIVE_STATUS_PROGRESS:
		return parse_progress(tok, st);
	case MIRRORLIVE_STATUS_MIRRORED_WRITES:
		return parse_count(tok, &st->mirrored_writes);
	case MIRRORLIVE_STATUS_DEST_ERRORS:
		return parse_count(tok, &st->dest_errors);
	case MIRRORLIVE_STATUS_SOURCE_ERRORS:
		return parse_count(tok, &st->source_errors);
	case MIRRORLIVE_STATUS_ZERO_REGIONS:
		return parse_count(tok, &st->zero_regions);
	case MIRRORLIVE_STATUS_MAX_COPY_KBPS:
		return parse_count(tok, &st->max_copy_kbps);
	case MIRRORLIVE_STATUS_REASON:
		return parse_reason(tok, st->reason);
	case MIRRORLIVE_STATUS_DIRTY_REGIONS:
		st->persistent = !(tok->len == 1 && tok->s[0] == '-');
		return st->persistent ? parse_count(tok, &st->dirty_regions) : 0;
	case MIRRORLIVE_STATUS_VERIFY_STATE:
		return parse_verify(tok, &st->verify);
	case MIRRORLIVE_STATUS_VERIFY_PROGRESS:
		return parse_pair(tok, &st->verified_regions,
				  &st->copied_regions);
	case MIRRORLIVE_STATUS_VERIFY_MISMATCHED:
		return parse_count(tok, &st->mismatched_regions);
	case MIRRORLIVE_STATUS_VERIFY_REPAIRED:
		return parse_count(tok, &st->repaired_regions);
	case MIRRORLIVE_STATUS_MIN_COPY_KBPS:
		return parse_count(tok, &st->min_copy_kbps);
	case MIRRORLIVE_STATUS_YIELDING:
		return parse_yielding(tok, st);
	}
	return -EINVAL;
}

/*
 * May the line end before @field?  Only where an older target's line
 * ended: after <reason> (before 0.5.0), <dirty_regions> (before 0.6.0) or
 * <repaired_regions> (before 0.7.0).
 */
static bool older_target_ends_before(unsigned int field)
{
	return field == MIRRORLIVE_STATUS_DIRTY_REGIONS ||
	       field == MIRRORLIVE_STATUS_VERIFY_STATE ||
	       field == MIRRORLIVE_STATUS_MIN_COPY_KBPS;
}

int status_parse(const char *line, struct mirror_status *st)
{
	struct token tok;
	unsigned int field;

	if (!line)
		return -EINVAL;

	/* What an older target's line, which lacks them, means. */
	st->persistent = false;
	st->dirty_regions = 0;
	st->verify = MIRROR_VERIFY_NONE;
	st->verified_regions = st->copied_regions = 0;
	st->mismatched_regions = st->repaired_regions = 0;
	st->min_copy_kbps = 0;
	st->yielding = false;
	for (field = 1; field <= MIRRORLIVE_NR_STATUS_FIELDS; field++) {
		if (!next_token(&line, &tok)) {
			if (older_target_ends_before(field))
				break;
			return -EINVAL;
		}
		if (parse_field(field, &tok, st))
			return -EINVAL;
	}

	/* Anything further was appended by a newer kernel: ignore it. */
	return 0;
}

const char *status_phase_name(enum mirror_phase phase)
{
	if ((unsigned int)phase >= NR_PHASES)
		return "unknown";
	return phase_names[phase];
}

const char *status_verify_name(enum mirror_verify verify)
{
	if ((unsigned int)verify >= NR_VERIFY)
		return "unknown";
	return verify_names[verify];
}

bool status_verify_running(enum mirror_verify verify)
{
	return verify == MIRROR_VERIFY_VERIFYING ||
	       verify == MIRROR_VERIFY_REPAIRING;
}
