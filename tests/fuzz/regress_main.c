// SPDX-License-Identifier: GPL-2.0-only
/*
 * regress_main.c - replay inputs through a harness, without libFuzzer
 *
 *   fuzz_<name>-regress FILE|DIR...
 *
 * Feeds every file named, and every regular file in every directory named
 * (sorted, not recursive, dot files skipped), to LLVMFuzzerTestOneInput()
 * and prints TAP: the plan first, then "ok N - FILE" after each input
 * returns.  A broken invariant or a sanitizer stops the program, so the
 * inputs after it never report and the plan shows them as missing.  The
 * unit lane runs this under valgrind or a sanitizer build.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct files {
	char **path;
	size_t nr;
};

static void add(struct files *f, const char *path)
{
	char **p = realloc(f->path, (f->nr + 1) * sizeof(*p));

	if (!p || !(p[f->nr] = strdup(path))) {
		perror("regress");
		exit(2);
	}
	f->path = p;
	f->nr++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Add @arg, or the regular files in it if it is a directory. */
static int collect(struct files *f, const char *arg)
{
	struct dirent **ents;
	struct stat sb;
	char *path;
	int n, i;

	if (stat(arg, &sb)) {
		fprintf(stderr, "regress: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		add(f, arg);
		return 0;
	}
	n = scandir(arg, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "regress: %s: %s\n", arg, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' &&
		    asprintf(&path, "%s/%s", arg, ents[i]->d_name) > 0) {
			if (!stat(path, &sb) && S_ISREG(sb.st_mode))
				add(f, path);
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	return 0;
}

static int run_one(const char *path)
{
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;
	FILE *in = fopen(path, "rb");

	if (!in)
		return -1;
	do {
		if (size == cap) {
			uint8_t *d = realloc(data, cap = cap * 2 + 4096);

			if (!d) {
				free(data);
				fclose(in);
				return -1;
			}
			data = d;
		}
		n = fread(data + size, 1, cap - size, in);
		size += n;
	} while (n);
	fclose(in);

	/* An exact-size copy, so that ASan sees any read past the end. */
	{
		uint8_t *exact = malloc(size ? size : 1);

		if (!exact) {
			free(data);
			return -1;
		}
		memcpy(exact, data, size);
		free(data);
		LLVMFuzzerTestOneInput(exact, size);
		free(exact);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct files f = { NULL, 0 };
	int i, bad = 0;
	size_t k;

	for (i = 1; i < argc; i++)
		if (collect(&f, argv[i]))
			bad = 1;
	qsort(f.path, f.nr, sizeof(*f.path), by_name);

	printf("1..%zu\n", f.nr);
	fflush(stdout);
	for (k = 0; k < f.nr; k++) {
		if (run_one(f.path[k])) {
			printf("not ok %zu - %s: cannot read\n", k + 1, f.path[k]);
			bad = 1;
		} else {
			printf("ok %zu - %s\n", k + 1, f.path[k]);
		}
		fflush(stdout);
		free(f.path[k]);
	}
	free(f.path);
	return bad;
}
