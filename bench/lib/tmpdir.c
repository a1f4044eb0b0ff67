// SPDX-License-Identifier: GPL-2.0-only
#include "lib/tmpdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/cleanup.h"
#include "lib/err.h"

int tmpdir_create(char *dir, size_t len, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	sigset_t old;
	int ret = 0;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, len, "%s/cpubench-%s-XXXXXX", tmp, tag) >= len) {
		dir[0] = '\0';
		return err_set("TMPDIR is too long (%s): set a shorter one", tmp);
	}
	/* created and registered with no fatal signal in between */
	cleanup_block(&old);
	if (!mkdtemp(dir)) {
		ret = err_set_errno(errno, "cannot create a temporary directory in %s "
				    "(TMPDIR)", tmp);
		dir[0] = '\0';
	} else if (cleanup_add_dir(dir)) {
		cleanup_remove_dir(dir);
		dir[0] = '\0';
		ret = -1;
	}
	cleanup_unblock(&old);
	return ret;
}

void tmpdir_remove(char *dir)
{
	sigset_t old;

	if (!dir[0])
		return;
	cleanup_block(&old);
	cleanup_remove_dir(dir);
	cleanup_del_dir(dir);
	cleanup_unblock(&old);
	dir[0] = '\0';
}
