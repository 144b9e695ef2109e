#include "weft_jpeg.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

struct weft_error_manager {
    struct jpeg_error_mgr base;
    jmp_buf escape;
    char *message;
    size_t message_size;
};

static void weft_error_exit(j_common_ptr info) {
    struct weft_error_manager *manager = (struct weft_error_manager *)info->err;
    char text[JMSG_LENGTH_MAX];
    (*info->err->format_message)(info, text);
    snprintf(manager->message, manager->message_size, "libjpeg: %s", text);
    longjmp(manager->escape, 1);
}

static void weft_quiet(j_common_ptr info, int level) {
    (void)info;
    (void)level; /* warnings (e.g. premature end of data) do not stop decoding, and are not printed */
}

/* Routes libjpeg's errors to weft_error_exit (which longjmps back) and silences its warnings. */
static struct jpeg_error_mgr *weft_errors(struct weft_error_manager *manager, char *message, size_t message_size) {
    struct jpeg_error_mgr *errors = jpeg_std_error(&manager->base);
    manager->base.error_exit = weft_error_exit;
    manager->base.emit_message = weft_quiet;
    manager->message = message;
    manager->message_size = message_size;
    return errors;
}

int weft_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                     unsigned char **pixels, int *width, int *height, int *components,
                     char *message, size_t message_size) {
    struct jpeg_decompress_struct info;
    struct weft_error_manager manager;
    unsigned char *volatile buffer = NULL;
    *pixels = NULL;
    memset(&info, 0, sizeof info);
    info.err = weft_errors(&manager, message, message_size);
    if (setjmp(manager.escape)) {
        jpeg_destroy_decompress(&info);
        free(buffer);
        return WEFT_JPEG_CORRUPT;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)size);
    jpeg_read_header(&info, TRUE);
    if ((size_t)info.image_width * (size_t)info.image_height > max_pixels) {
        snprintf(message, message_size, "%ux%u exceeds the limit of %zu pixels; nothing was allocated",
                 info.image_width, info.image_height, max_pixels);
        jpeg_destroy_decompress(&info);
        return WEFT_JPEG_TOO_MANY_PIXELS;
    }
    if (info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK) {
        snprintf(message, message_size, "CMYK and YCCK JPEGs are not supported");
        jpeg_destroy_decompress(&info);
        return WEFT_JPEG_UNSUPPORTED;
    }
    info.out_color_space = info.jpeg_color_space == JCS_GRAYSCALE ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    size_t stride = (size_t)info.output_width * (size_t)info.output_components;
    buffer = malloc(stride * info.output_height);
    if (buffer == NULL) {
        snprintf(message, message_size, "out of memory for %ux%u pixels", info.output_width, info.output_height);
        jpeg_destroy_decompress(&info);
        return WEFT_JPEG_NO_MEMORY;
    }
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = buffer + (size_t)info.output_scanline * stride;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    *width = (int)info.output_width;
    *height = (int)info.output_height;
    *components = info.output_components;
    *pixels = buffer;
    jpeg_destroy_decompress(&info);
    return WEFT_JPEG_OK;
}

void weft_jpeg_free(unsigned char *pixels) { free(pixels); }

int weft_jpeg_encode(const unsigned char *pixels, int width, int height, int components, int quality,
                     unsigned char **output, unsigned long *output_size, char *message, size_t message_size) {
    struct jpeg_compress_struct info;
    struct weft_error_manager manager;
    /* jpeg_mem_dest may reallocate the buffer, so it is only ever read back after jpeg_finish_compress. */
    unsigned char *volatile buffer = NULL;
    unsigned long size = 0;
    *output = NULL;
    *output_size = 0;
    memset(&info, 0, sizeof info);
    info.err = weft_errors(&manager, message, message_size);
    if (setjmp(manager.escape)) {
        jpeg_destroy_compress(&info);
        free(buffer);
        return WEFT_JPEG_CORRUPT;
    }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, (unsigned char **)&buffer, &size);
    info.image_width = (JDIMENSION)width;
    info.image_height = (JDIMENSION)height;
    info.input_components = components;
    info.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    size_t stride = (size_t)width * (size_t)components;
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)info.next_scanline * stride);
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    *output = buffer;
    *output_size = size;
    return WEFT_JPEG_OK;
}
