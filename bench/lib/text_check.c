// SPDX-License-Identifier: GPL-2.0-only
#include "lib/text_check.h"

#include "lib/err.h"
#include "lib/textesc.h"

int text_check(const char *file, const char *text, size_t len, const char *what)
{
	const unsigned char *s = (const unsigned char *)text;
	unsigned int line = 1;

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;

		if (c == '\n')
			line++;
		if (c == '\0')
			return err_set("%s:%u: binary data (a NUL byte): give %s", file, line, what);
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
			return err_set("%s:%u: binary data (control byte 0x%02x): give %s",
				       file, line, c, what);
		/* utf8_seq_len() stops at a NUL, so it never reads past @len */
		n = c < 0x80 ? 1 : utf8_seq_len(s + i);
		if (!n || i + n > len)
			return err_set("%s:%u: invalid UTF-8 (byte 0x%02x): give %s",
				       file, line, c, what);
		i += n;
	}
	return 0;
}
