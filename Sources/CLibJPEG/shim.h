// Debian's libjpeg-turbo. jpeglib.h needs stdio.h (FILE) before it.
#include <stdio.h>
#include <jpeglib.h>
