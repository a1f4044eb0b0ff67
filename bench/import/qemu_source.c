// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's x86 CPU models from its source (qemu_source.h): the files, the
 * provenance, and what is built from the tables: model lookup by any name
 * QEMU takes, version resolution, feature names.
 *
 * Semantics, as QEMU 4.1 and later have them (target/i386/cpu.c):
 *  - Version N of a model is its definition with the .props of every
 *    .versions entry applied in array order up to and including N's entry
 *    (x86_cpu_apply_version_props()): props are cumulative. A model
 *    without .versions has version 1 only, with no props.
 *  - An alias (.alias of a version entry) names exactly that version.
 *  - The unversioned name resolves to default_cpu_version as cpu.c
 *    initialises it: 1 in every QEMU since 4.1, which is what -machine none
 *    uses; the PC machine types (pc-i440fx/pc-q35 4.1 and later) call
 *    x86_cpu_set_default_version(1) too, 4.0 and older CPU_VERSION_LEGACY
 *    (the definition without version props, here QSRC_VERSION_BASE).
 *  - QSRC_EXPAND adds what QEMU does to every model whatever the
 *    accelerator: hypervisor is set before the version props apply
 *    (x86_cpu_load_model()), feature_dependencies[] are applied after, in
 *    order, once (x86_cpu_expand_features()). Not added: the accelerator's
 *    own defaults (TCG turns vme off, KVM sets x2apic and kvmclock...),
 *    host-dependent expansion, CPUID levels.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/err.h"
#include "import/qsrc_internal.h"

#define MAX_SOURCE	(16u << 20)	/* cpu.c is 0.4 MiB */

/* ------------------------------------------------------------- memory */

struct qsrc_arena {
	struct qsrc_arena *next;
	size_t used, cap;
	max_align_t data[];
};

void *qsrc_alloc(struct qsrc *q, size_t size)
{
	struct qsrc_arena *a = q->arena;
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (!size)
		size = 16;
	if (!a || a->cap - a->used < size) {
		size_t cap = size > (16u << 10) ? size : 16u << 10;

		a = calloc(1, sizeof(*a) + cap);
		if (!a) {
			err_set("out of memory");
			return NULL;
		}
		a->cap = cap;
		a->next = q->arena;
		q->arena = a;
	}
	p = (unsigned char *)a->data + a->used;
	a->used += size;
	return p;
}

char *qsrc_strdup(struct qsrc *q, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = qsrc_alloc(q, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

void qsrc_free(struct qsrc *q)
{
	struct qsrc_arena *a = q->arena, *next;

	for (; a; a = next) {
		next = a->next;
		free(a);
	}
	memset(q, 0, sizeof(*q));
}

/* ------------------------------------------------------------ parsing */

/*
 * The two macros cpu.c and cpu.h use from other QEMU headers, for when
 * those headers are not among the inputs; a later definition wins.
 */
static const struct {
	const char *name, *value, *header;
} builtin_macros[] = {
	{ "QEMU_HW_VERSION", "\"2.5+\"", "include/qemu/hw-version.h" },
	{ "KVM_CPUID_FEATURES", "0x40000001", "include/standard-headers/asm-x86/kvm_para.h" },
};

#define BUILTIN_NAME	"<built-in>"

static int builtin_text(char **text, size_t *len)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(builtin_macros) / sizeof(builtin_macros[0]); i++)
		n += strlen(builtin_macros[i].name) + strlen(builtin_macros[i].value) + 10;
	*text = malloc(n + 1);
	if (!*text)
		return err_set("out of memory");
	*len = 0;
	for (size_t i = 0; i < sizeof(builtin_macros) / sizeof(builtin_macros[0]); i++)
		*len += (size_t)sprintf(*text + *len, "#define %s %s\n",
					builtin_macros[i].name, builtin_macros[i].value);
	return 0;
}

static int note_assumed(struct qsrc_unit *u, struct qsrc *q)
{
	for (size_t i = 0; i < sizeof(builtin_macros) / sizeof(builtin_macros[0]); i++) {
		const char *name = builtin_macros[i].name;
		const struct qsrc_macro *m = qsrc_macro_find(u, name, (unsigned int)strlen(name),
							     u->ntoks);
		char buf[160];

		if (!m || m->file != 0 || q->nassumed == QSRC_MAX_ASSUMED)
			continue;
		snprintf(buf, sizeof(buf), "%s %s (%s)", name, builtin_macros[i].value,
			 builtin_macros[i].header);
		q->assumed[q->nassumed] = qsrc_strdup(q, buf);
		if (!q->assumed[q->nassumed++])
			return -1;
	}
	return 0;
}

int qsrc_parse(const struct qsrc_input *in, size_t n, struct qsrc *out)
{
	struct qsrc_unit *u;
	char *btext = NULL;
	size_t blen;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (!n || n >= QSRC_MAX_INPUTS)
		return err_set("QEMU source: between 1 and %d input files", QSRC_MAX_INPUTS - 1);
	u = calloc(1, sizeof(*u));
	if (!u)
		return err_set("out of memory");
	if (builtin_text(&btext, &blen))
		goto out;
	/* counted before lexing: qsrc_unit_free() frees what a failed one left */
	u->src[0].name = BUILTIN_NAME;
	u->nsrc = 1;
	if (qsrc_lex(&u->src[0], 0, btext, blen))
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct qsrc_src *src = &u->src[u->nsrc++];

		src->name = in[i].name;
		if (qsrc_lex(src, (unsigned short)i + 1, in[i].text, in[i].len))
			goto out;
	}
	out->source = qsrc_strdup(out, in[n - 1].name);
	out->commit = qsrc_strdup(out, "");
	out->qemu_version = qsrc_strdup(out, "");
	if (!out->source || !out->commit || !out->qemu_version)
		goto out;
	if (qsrc_pp(u) || qsrc_read_tables(u, out) || note_assumed(u, out))
		goto out;
	ret = 0;
out:
	if (ret) {
		qsrc_free(out);
		err_set_class(EXIT_USAGE);
	}
	free(btext);
	qsrc_unit_free(u);
	free(u);
	return ret;
}

int qsrc_parse_text(const char *name, const char *text, size_t len, struct qsrc *out)
{
	const struct qsrc_input in = { name, text, len };

	return qsrc_parse(&in, 1, out);
}

/* ------------------------------------------------------------- files */

/* Reads @path whole; 1 if it does not exist and @optional. */
static int read_file(const char *path, int optional, char **text, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t n = 0;

	*text = NULL;
	if (fd < 0) {
		if (optional && errno == ENOENT)
			return 1;
		return err_set_errno(errno, "cannot open %s", path);
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_SOURCE) {
		close(fd);
		return err_set("%s: not a regular file of at most %u MiB", path,
			       MAX_SOURCE >> 20);
	}
	*text = malloc((size_t)st.st_size + 1);
	if (!*text) {
		close(fd);
		return err_set("out of memory");
	}
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, *text + n, (size_t)st.st_size - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;

			close(fd);
			free(*text);
			*text = NULL;
			return err_set_errno(e, "cannot read %s", path);
		}
		n += (size_t)r;
	}
	close(fd);
	(*text)[n] = '\0';
	*len = n;
	return 0;
}

/* The first line of a small file, or NULL. */
static char *first_line(const char *path)
{
	char *text;
	size_t len;

	if (read_file(path, 1, &text, &len))
		return NULL;
	text[strcspn(text, "\r\n")] = '\0';
	return text;
}

static int is_hex40(const char *s)
{
	for (int i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[40] == '\0' || !((s[40] >= '0' && s[40] <= '9') ||
				  (s[40] >= 'a' && s[40] <= 'z'));
}

#define PATH_LEN	4096

/* "@a/@b" (or @b alone if absolute with @rel) into @buf; -1 if too long */
static int join(char *buf, const char *a, const char *b, int rel)
{
	int n = rel && b[0] == '/' ? snprintf(buf, PATH_LEN, "%s", b) :
		snprintf(buf, PATH_LEN, "%s/%s", a, b);

	return n < 0 || n >= PATH_LEN ? -1 : 0;
}

/* @ref's commit in @gitdir's loose or packed refs; 0 if found */
static int git_ref(const char *gitdir, const char *common, const char *ref, char *out)
{
	const char *dirs[2] = { gitdir, common };
	char path[PATH_LEN], *text, *line;
	size_t len;

	for (int i = 0; i < 2; i++) {
		if (join(path, dirs[i], ref, 0))
			return -1;
		text = first_line(path);
		if (text && is_hex40(text)) {
			memcpy(out, text, 40);
			free(text);
			return 0;
		}
		free(text);
	}
	if (join(path, common, "packed-refs", 0) || read_file(path, 1, &text, &len))
		return -1;
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (strlen(line) > 41 && is_hex40(line) && !strcmp(line + 41, ref)) {
			memcpy(out, line, 40);
			free(text);
			return 0;
		}
	}
	free(text);
	return -1;
}

/* The commit checked out in @dir (a git work tree), read without git. */
static int git_commit(const char *dir, char *out)
{
	char gitdir[PATH_LEN], common[PATH_LEN], path[PATH_LEN], *s;
	struct stat st;
	int ret = -1;

	if (join(gitdir, dir, ".git", 0) || stat(gitdir, &st))
		return -1;
	if (S_ISREG(st.st_mode)) {
		/* a linked work tree or submodule: "gitdir: PATH" */
		s = first_line(gitdir);
		if (!s || strncmp(s, "gitdir: ", 8) || join(gitdir, dir, s + 8, 1)) {
			free(s);
			return -1;
		}
		free(s);
	}
	memcpy(common, gitdir, sizeof(common));
	if (join(path, gitdir, "commondir", 0))
		return -1;
	s = first_line(path);
	if (s && *s && join(common, gitdir, s, 1)) {
		free(s);
		return -1;
	}
	free(s);
	if (join(path, gitdir, "HEAD", 0))
		return -1;
	s = first_line(path);
	if (s && is_hex40(s)) {
		memcpy(out, s, 40);
		ret = 0;
	} else if (s && !strncmp(s, "ref: ", 5)) {
		ret = git_ref(gitdir, common, s + 5, out);
	}
	free(s);
	return ret;
}

/* A vendored copy's SOURCE.md: the line naming target/i386/cpu.c's commit. */
static int source_md_commit(const char *dir, char *out)
{
	char path[PATH_LEN], *text, *line;
	size_t len;
	int ret = -1;

	if (join(path, dir, "SOURCE.md", 0) || read_file(path, 1, &text, &len))
		return -1;
	for (line = strtok(text, "\n"); line && ret; line = strtok(NULL, "\n")) {
		if (!strstr(line, "target/i386/cpu.c"))
			continue;
		for (char *p = line; *p && ret; p++)
			if ((p == line || p[-1] == ' ' || p[-1] == '|') && is_hex40(p)) {
				memcpy(out, p, 40);
				ret = 0;
			}
	}
	free(text);
	return ret;
}

static const char *const load_paths[] = {
	"include/qemu/hw-version.h",		/* optional */
	"include/standard-headers/asm-x86/kvm_para.h",	/* optional */
	"target/i386/cpu.h",
	"target/i386/cpu.c",
};

int qsrc_load(const char *dir, struct qsrc *out)
{
	struct qsrc_input in[4];
	char *paths[4] = { NULL }, *texts[4] = { NULL };
	char commit[41] = "", *version, *vpath;
	size_t n = 0;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < 4; i++) {
		size_t len = 0;
		int r;

		if (asprintf(&paths[i], "%s/%s", dir, load_paths[i]) < 0) {
			paths[i] = NULL;
			err_set("out of memory");
			goto out;
		}
		r = read_file(paths[i], i < 2, &texts[i], &len);
		if (r < 0)
			goto out;
		if (r > 0)
			continue;
		in[n++] = (struct qsrc_input){ paths[i], texts[i], len };
	}
	if (qsrc_parse(in, n, out))
		goto out;
	if (git_commit(dir, commit) && source_md_commit(dir, commit))
		commit[0] = '\0';
	commit[40] = '\0';
	if (asprintf(&vpath, "%s/VERSION", dir) < 0) {
		qsrc_free(out);
		err_set("out of memory");
		goto out;
	}
	version = first_line(vpath);
	free(vpath);
	out->source = qsrc_strdup(out, dir);
	out->commit = qsrc_strdup(out, commit);
	out->qemu_version = qsrc_strdup(out, version && strlen(version) < 32 &&
					version[strspn(version, "0123456789.")] == '\0' ?
					version : "");
	free(version);
	if (!out->source || !out->commit || !out->qemu_version) {
		qsrc_free(out);
		goto out;
	}
	ret = 0;
out:
	for (size_t i = 0; i < 4; i++) {
		free(paths[i]);
		free(texts[i]);
	}
	return ret;
}

/* ------------------------------------------------------------- lookup */

int qsrc_default_version(const struct qsrc *q, const struct qsrc_model *m)
{
	if (q->default_version == QSRC_VERSION_BASE)
		return QSRC_VERSION_BASE;
	if (q->default_version == QSRC_VERSION_LATEST)
		return m->versions[m->nversions - 1].version;
	for (size_t i = 0; i < m->nversions; i++)
		if (m->versions[i].version == q->default_version)
			return q->default_version;
	return err_set("%s has no version %d, the default_cpu_version", m->name,
		       q->default_version);
}

/* "-vN" after a model's name: N, else 0 */
static int version_suffix(const char *s)
{
	long v;
	char *end;

	if (s[0] != '-' || s[1] != 'v' || s[2] < '1' || s[2] > '9')
		return 0;
	v = strtol(s + 2, &end, 10);
	return *end || v > 99999 ? 0 : (int)v;
}

int qsrc_find(const struct qsrc *q, const char *name, struct qsrc_ref *ref)
{
	for (size_t i = 0; i < q->nmodels; i++) {
		const struct qsrc_model *m = &q->models[i];
		size_t len = strlen(m->name);
		int v;

		if (!strcmp(m->name, name)) {
			v = qsrc_default_version(q, m);
			if (v < 0)
				return -1;
			*ref = (struct qsrc_ref){ m, v, QSRC_NAME_UNVERSIONED };
			return 0;
		}
		v = strncmp(m->name, name, len) ? 0 : version_suffix(name + len);
		for (size_t k = 0; k < m->nversions; k++) {
			const struct qsrc_version *ver = &m->versions[k];

			if (ver->alias && !strcmp(ver->alias, name)) {
				*ref = (struct qsrc_ref){ m, ver->version, QSRC_NAME_ALIAS };
				return 0;
			}
			if (v && ver->version == v) {
				*ref = (struct qsrc_ref){ m, v, QSRC_NAME_VERSIONED };
				return 0;
			}
		}
	}
	return err_set("no CPU model \"%s\" in %s", name, q->source);
}

/* -------------------------------------------------------- resolution */

static int apply_prop(struct qsrc_cpu *c, const struct qsrc_prop *p)
{
	size_t i;

	switch (p->kind) {
	case QSRC_PROP_FEATURE:
		if (p->on)
			c->features[p->word] |= p->mask;
		else
			c->features[p->word] &= ~p->mask;
		return 0;
	case QSRC_PROP_IDENTITY:
		switch (p->ident) {
		case QSRC_ID_VENDOR:
			snprintf(c->vendor, sizeof(c->vendor), "%s", p->value);
			break;
		case QSRC_ID_MODEL_ID:
			snprintf(c->model_id, sizeof(c->model_id), "%s", p->value);
			break;
		case QSRC_ID_FAMILY:
			c->family = (int)p->num;
			break;
		case QSRC_ID_MODEL:
			c->model = (int)p->num;
			break;
		case QSRC_ID_STEPPING:
			c->stepping = (int)p->num;
			break;
		default:
			break;
		}
		return 0;
	case QSRC_PROP_OTHER:
		if (p->ident == QSRC_ID_MIN_LEVEL)
			c->level = (uint32_t)p->num;
		else if (p->ident == QSRC_ID_MIN_XLEVEL)
			c->xlevel = (uint32_t)p->num;
		else if (p->ident == QSRC_ID_AVX10_VERSION)
			c->avx10_version = (unsigned int)p->num;
		for (i = 0; i < c->nother; i++)
			if (!strcmp(c->other[i]->name, p->name))
				break;
		if (i == QSRC_MAX_OTHER)
			return err_set("%s: more than %d other properties", c->name,
				       QSRC_MAX_OTHER);
		c->other[i] = p;
		if (i == c->nother)
			c->nother++;
		return 0;
	}
	return 0;
}

int qsrc_resolve(const struct qsrc *q, const struct qsrc_model *m, int version,
		 unsigned int flags, struct qsrc_cpu *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (version == QSRC_VERSION_LATEST)
		version = m->versions[m->nversions - 1].version;
	out->def = m;
	out->version = version;
	if (version == QSRC_VERSION_BASE)
		snprintf(out->name, sizeof(out->name), "%s", m->name);
	else
		snprintf(out->name, sizeof(out->name), "%s-v%d", m->name, version);
	memcpy(out->vendor, m->vendor, sizeof(out->vendor));
	out->family = m->family;
	out->model = m->model;
	out->stepping = m->stepping;
	out->level = m->level;
	out->xlevel = m->xlevel;
	out->avx10_version = m->avx10_version;
	snprintf(out->model_id, sizeof(out->model_id), "%s", m->model_id);
	out->cache_info = m->cache_info;
	memcpy(out->features, m->features, sizeof(out->features));
	if (flags & QSRC_EXPAND)
		out->features[q->hyp_word] |= q->hyp_mask;
	if (version != QSRC_VERSION_BASE) {
		for (i = 0; i < m->nversions; i++) {
			const struct qsrc_version *v = &m->versions[i];

			for (size_t k = 0; k < v->nprops; k++)
				if (apply_prop(out, &v->props[k]))
					return -1;
			if (v->cache_info)
				out->cache_info = v->cache_info;
			if (v->version == version)
				break;
		}
		if (i == m->nversions)
			return err_set("%s has no version %d", m->name, version);
	}
	if (flags & QSRC_EXPAND) {
		for (i = 0; i < q->ndeps; i++) {
			const struct qsrc_dep *d = &q->deps[i];

			if (!(out->features[d->from_word] & d->from_mask))
				out->features[d->to_word] &= ~d->to_mask;
		}
	}
	return 0;
}

size_t qsrc_cpu_features(const struct qsrc *q, const struct qsrc_cpu *c,
			 const char **names, size_t max)
{
	size_t n = 0;

	for (unsigned int w = 0; w < q->nwords; w++) {
		const struct qsrc_word *wd = &q->words[w];

		for (unsigned int b = 0; b < QSRC_WORD_BITS; b++) {
			unsigned int k;

			if (!(c->features[w] & (1ull << b)) || !wd->names[b])
				continue;
			for (k = 0; k < b; k++)
				if ((c->features[w] & (1ull << k)) && wd->names[k] &&
				    !strcmp(wd->names[k], wd->names[b]))
					break;
			if (k < b)
				continue;	/* a name two bits share */
			if (n < max)
				names[n] = wd->names[b];
			n++;
		}
	}
	return n;
}

uint64_t qsrc_unnamed_bits(const struct qsrc *q, const struct qsrc_cpu *c, unsigned int w)
{
	uint64_t named = 0;

	if (w >= q->nwords)
		return 0;
	for (unsigned int b = 0; b < QSRC_WORD_BITS; b++)
		if (q->words[w].names[b])
			named |= 1ull << b;
	return c->features[w] & ~named;
}

bool qsrc_cpu_has(const struct qsrc *q, const struct qsrc_cpu *c, const char *name)
{
	unsigned int w;
	uint64_t mask;

	/* QEMU's bit property getter: all the bits of the name */
	return !qsrc_feature(q, name, &w, &mask) && (c->features[w] & mask) == mask;
}

int qsrc_provenance(const struct qsrc *q, const struct qsrc_cpu *c,
		    char *buf, size_t size)
{
	char ver[32] = "";

	if (c->version != QSRC_VERSION_BASE)
		snprintf(ver, sizeof(ver), " v%d", c->version);
	if (*q->commit)
		return snprintf(buf, size, "QEMU%s%s source, commit %s, target/i386/cpu.c "
				"builtin_x86_defs %s%s", *q->qemu_version ? " " : "",
				q->qemu_version, q->commit, c->def->name, ver);
	return snprintf(buf, size, "QEMU%s%s source %s, target/i386/cpu.c "
			"builtin_x86_defs %s%s", *q->qemu_version ? " " : "",
			q->qemu_version, q->source, c->def->name, ver);
}
