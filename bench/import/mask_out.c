// SPDX-License-Identifier: GPL-2.0-only
/* Imported mask files, written whole or not at all (mask_out.h). */
#include "import/mask_out.h"

#include <stdlib.h>

#include "catalog/mask_file.h"
#include "lib/err.h"
#include "lib/safe_file.h"

int mask_out_path(char *path, size_t size, const char *out_dir, const char *name)
{
	if ((size_t)snprintf(path, size, "%s/%s%s", out_dir, name, MASK_SUFFIX) >= size)
		return err_set("%s: output path too long", out_dir);
	return 0;
}

int mask_out_write(const char *out_dir, const char *name,
		   void (*render)(FILE *f, const void *ctx), const void *ctx)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret;

	if (mask_out_path(path, sizeof(path), out_dir, name))
		return -1;
	f = open_memstream(&text, &len);
	if (!f)
		return err_set("out of memory");
	render(f, ctx);
	if (fclose(f)) {
		free(text);
		return err_set("out of memory");
	}
	ret = safe_file_write(path, text, len);
	free(text);
	return ret;
}
