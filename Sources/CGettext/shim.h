// glibc's gettext (libintl.h), which the Glibc module does not import.
#include <libintl.h>
