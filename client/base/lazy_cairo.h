/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cairo through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_CAIRO_H
#define MC_LAZY_CAIRO_H
#include "client/base/lazylib.h"

#define cairo_create LAZYLIB_FN(LAZY_CAIRO, cairo_create)
#define cairo_destroy LAZYLIB_FN(LAZY_CAIRO, cairo_destroy)
#define cairo_fill LAZYLIB_FN(LAZY_CAIRO, cairo_fill)
#define cairo_font_options_create LAZYLIB_FN(LAZY_CAIRO, cairo_font_options_create)
#define cairo_font_options_destroy LAZYLIB_FN(LAZY_CAIRO, cairo_font_options_destroy)
#define cairo_font_options_set_hint_metrics LAZYLIB_FN(LAZY_CAIRO, cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style LAZYLIB_FN(LAZY_CAIRO, cairo_font_options_set_hint_style)
#define cairo_image_surface_create LAZYLIB_FN(LAZY_CAIRO, cairo_image_surface_create)
#define cairo_image_surface_create_from_png_stream LAZYLIB_FN(LAZY_CAIRO, cairo_image_surface_create_from_png_stream)
#define cairo_image_surface_get_data LAZYLIB_FN(LAZY_CAIRO, cairo_image_surface_get_data)
#define cairo_image_surface_get_height LAZYLIB_FN(LAZY_CAIRO, cairo_image_surface_get_height)
#define cairo_image_surface_get_stride LAZYLIB_FN(LAZY_CAIRO, cairo_image_surface_get_stride)
#define cairo_image_surface_get_width LAZYLIB_FN(LAZY_CAIRO, cairo_image_surface_get_width)
#define cairo_line_to LAZYLIB_FN(LAZY_CAIRO, cairo_line_to)
#define cairo_mask_surface LAZYLIB_FN(LAZY_CAIRO, cairo_mask_surface)
#define cairo_move_to LAZYLIB_FN(LAZY_CAIRO, cairo_move_to)
#define cairo_paint LAZYLIB_FN(LAZY_CAIRO, cairo_paint)
#define cairo_pdf_surface_create_for_stream LAZYLIB_FN(LAZY_CAIRO, cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata LAZYLIB_FN(LAZY_CAIRO, cairo_pdf_surface_set_metadata)
#define cairo_pdf_surface_set_size LAZYLIB_FN(LAZY_CAIRO, cairo_pdf_surface_set_size)
#define cairo_rectangle LAZYLIB_FN(LAZY_CAIRO, cairo_rectangle)
#define cairo_restore LAZYLIB_FN(LAZY_CAIRO, cairo_restore)
#define cairo_save LAZYLIB_FN(LAZY_CAIRO, cairo_save)
#define cairo_scale LAZYLIB_FN(LAZY_CAIRO, cairo_scale)
#define cairo_set_line_width LAZYLIB_FN(LAZY_CAIRO, cairo_set_line_width)
#define cairo_set_source_rgb LAZYLIB_FN(LAZY_CAIRO, cairo_set_source_rgb)
#define cairo_set_source_surface LAZYLIB_FN(LAZY_CAIRO, cairo_set_source_surface)
#define cairo_show_page LAZYLIB_FN(LAZY_CAIRO, cairo_show_page)
#define cairo_status LAZYLIB_FN(LAZY_CAIRO, cairo_status)
#define cairo_status_to_string LAZYLIB_FN(LAZY_CAIRO, cairo_status_to_string)
#define cairo_stroke LAZYLIB_FN(LAZY_CAIRO, cairo_stroke)
#define cairo_surface_destroy LAZYLIB_FN(LAZY_CAIRO, cairo_surface_destroy)
#define cairo_surface_finish LAZYLIB_FN(LAZY_CAIRO, cairo_surface_finish)
#define cairo_surface_flush LAZYLIB_FN(LAZY_CAIRO, cairo_surface_flush)
#define cairo_surface_mark_dirty LAZYLIB_FN(LAZY_CAIRO, cairo_surface_mark_dirty)
#define cairo_surface_set_mime_data LAZYLIB_FN(LAZY_CAIRO, cairo_surface_set_mime_data)
#define cairo_surface_status LAZYLIB_FN(LAZY_CAIRO, cairo_surface_status)

#endif
