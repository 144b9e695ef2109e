// libpng's simplified API (png_image), which reports errors through return values rather than longjmp.
#include <png.h>
