/* lc_escape — user text made safe for one kind of output.
 *
 * One function per output kind, used by every renderer and by error messages,
 * so that text from a scenario (names, sources, notes, file names) can never
 * act as markup, a formula or a terminal command where it is shown.  Owns
 * nothing; input is borrowed, NUL-terminated and need not be valid UTF-8.
 *
 * Shared rule, "visible escapes": a character that would act rather than show
 * is written as a backslash escape a reader can see:
 *   C0 controls  \a \b \t \n \v \f \r \e (ESC), others \x01 ... \x1f;
 *   DEL          \x7f;
 *   C1 controls  U+0080..U+009F (e.g. CSI) as \x80 ... \x9f;
 *   bidi controls U+202A..U+202E, U+2066..U+2069 as \u202e and so on;
 *   bytes that are not valid UTF-8, one \xNN each.
 * A backslash itself is left alone: the escapes are for reading, not for
 * parsing back, and names such as "C:\data" stay as they are. */
#ifndef LC_ESCAPE_H
#define LC_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum lc_escape_kind {
    /* Terminal text (tables, messages): everything printable as is; controls
     * as visible escapes, TAB and newline included. */
    LC_ESC_TERMINAL,
    /* One line: the same as LC_ESC_TERMINAL (a message never spans lines). */
    LC_ESC_LINE = LC_ESC_TERMINAL,
    /* One CSV text cell (RFC 4180).  A cell starting with = + - @ TAB or CR is
     * prefixed with ' so that no spreadsheet reads it as a formula (OWASP,
     * "CSV Injection"); a cell with , " newline or the prefix is quoted with
     * inner quotes doubled.  Newline and TAB stay (inside quotes); CR and the
     * other controls become visible escapes.  For text cells only: numbers
     * the program formats are written as they are. */
    LC_ESC_CSV,
    /* Markdown inline text (CommonMark and GitHub): \ ` * _ [ ] | ~ $ # and !
     * are backslash-escaped everywhere, < > & become &lt; &gt; &amp;, and at
     * the start of the text + - = and "1." / "1)" are escaped too, so that no
     * emphasis, link, image, code span, fence, table cell end, heading, list,
     * quote, HTML or entity can start.  Controls are visible escapes whose
     * backslash is itself escaped ("\\r" in the source shows as \r). */
    LC_ESC_MARKDOWN,
    /* XML / SVG / HTML character data and attribute values: & < > " ' as
     * entities (so "]]>" becomes "]]&gt;"); characters XML 1.0 forbids (C0
     * except TAB and newline, CR, U+FFFE, U+FFFF) and the rest of the
     * shared set as visible escapes; invalid UTF-8 as \xNN, so the result
     * is always well-formed UTF-8. */
    LC_ESC_XML
} lc_escape_kind;

/* malloc'd escaped copy of s (NULL is taken as ""); NULL on out-of-memory. */
char *lc_escape(lc_escape_kind kind, const char *s);

/* Write the escaped s to out; 0, or EOF when writing failed. */
int lc_escape_fputs(lc_escape_kind kind, const char *s, FILE *out);

/* Write the escaped s into buf (size bytes, at least 1) and NUL-terminate it.
 * Returns the length of the whole escaped text, as snprintf does: a result
 * >= size means it did not fit and buf holds a prefix that never ends inside
 * an escape or a UTF-8 character. */
size_t lc_escape_buf(lc_escape_kind kind, const char *s, char *buf, size_t size);

/* 1 when s has nothing LC_ESC_TERMINAL would change (no control character,
 * no invalid UTF-8): cheap test before copying. */
int lc_escape_is_plain(const char *s);

/* Length of the UTF-8 sequence at s and its code point in *cp; 0 when the
 * bytes are not valid UTF-8 (overlong, surrogate, beyond U+10FFFF, cut). */
size_t lc_utf8_decode(const char *s, uint32_t *cp);

#endif
