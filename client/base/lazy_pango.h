/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pango and PangoCairo through client/base/lazylib.h (loaded on first use).
 * Include after the library's headers; one line per function the client calls. */
#ifndef MC_LAZY_PANGO_H
#define MC_LAZY_PANGO_H
#include "client/base/lazylib.h"

#define pango_context_set_language LAZYLIB_FN(LAZY_PANGO, pango_context_set_language)
#define pango_context_set_round_glyph_positions LAZYLIB_FN(LAZY_PANGO, pango_context_set_round_glyph_positions)
#define pango_font_description_free LAZYLIB_FN(LAZY_PANGO, pango_font_description_free)
#define pango_font_description_from_string LAZYLIB_FN(LAZY_PANGO, pango_font_description_from_string)
#define pango_font_description_set_size LAZYLIB_FN(LAZY_PANGO, pango_font_description_set_size)
#define pango_font_description_set_style LAZYLIB_FN(LAZY_PANGO, pango_font_description_set_style)
#define pango_font_description_set_weight LAZYLIB_FN(LAZY_PANGO, pango_font_description_set_weight)
#define pango_language_from_string LAZYLIB_FN(LAZY_PANGO, pango_language_from_string)
#define pango_layout_get_extents LAZYLIB_FN(LAZY_PANGO, pango_layout_get_extents)
#define pango_layout_get_iter LAZYLIB_FN(LAZY_PANGO, pango_layout_get_iter)
#define pango_layout_get_line_count LAZYLIB_FN(LAZY_PANGO, pango_layout_get_line_count)
#define pango_layout_get_line_readonly LAZYLIB_FN(LAZY_PANGO, pango_layout_get_line_readonly)
#define pango_layout_get_size LAZYLIB_FN(LAZY_PANGO, pango_layout_get_size)
#define pango_layout_iter_free LAZYLIB_FN(LAZY_PANGO, pango_layout_iter_free)
#define pango_layout_iter_get_baseline LAZYLIB_FN(LAZY_PANGO, pango_layout_iter_get_baseline)
#define pango_layout_iter_get_line_extents LAZYLIB_FN(LAZY_PANGO, pango_layout_iter_get_line_extents)
#define pango_layout_iter_get_line_readonly LAZYLIB_FN(LAZY_PANGO, pango_layout_iter_get_line_readonly)
#define pango_layout_iter_next_line LAZYLIB_FN(LAZY_PANGO, pango_layout_iter_next_line)
#define pango_layout_line_get_extents LAZYLIB_FN(LAZY_PANGO, pango_layout_line_get_extents)
#define pango_layout_new LAZYLIB_FN(LAZY_PANGO, pango_layout_new)
#define pango_layout_set_alignment LAZYLIB_FN(LAZY_PANGO, pango_layout_set_alignment)
#define pango_layout_set_ellipsize LAZYLIB_FN(LAZY_PANGO, pango_layout_set_ellipsize)
#define pango_layout_set_font_description LAZYLIB_FN(LAZY_PANGO, pango_layout_set_font_description)
#define pango_layout_set_height LAZYLIB_FN(LAZY_PANGO, pango_layout_set_height)
#define pango_layout_set_justify LAZYLIB_FN(LAZY_PANGO, pango_layout_set_justify)
#define pango_layout_set_line_spacing LAZYLIB_FN(LAZY_PANGO, pango_layout_set_line_spacing)
#define pango_layout_set_markup LAZYLIB_FN(LAZY_PANGO, pango_layout_set_markup)
#define pango_layout_set_text LAZYLIB_FN(LAZY_PANGO, pango_layout_set_text)
#define pango_layout_set_width LAZYLIB_FN(LAZY_PANGO, pango_layout_set_width)
#define pango_layout_set_wrap LAZYLIB_FN(LAZY_PANGO, pango_layout_set_wrap)
#define pango_parse_markup LAZYLIB_FN(LAZY_PANGO, pango_parse_markup)
#define pango_cairo_context_set_font_options LAZYLIB_FN(LAZY_PANGOCAIRO, pango_cairo_context_set_font_options)
#define pango_cairo_context_set_resolution LAZYLIB_FN(LAZY_PANGOCAIRO, pango_cairo_context_set_resolution)
#define pango_cairo_create_context LAZYLIB_FN(LAZY_PANGOCAIRO, pango_cairo_create_context)
#define pango_cairo_create_layout LAZYLIB_FN(LAZY_PANGOCAIRO, pango_cairo_create_layout)
#define pango_cairo_show_layout LAZYLIB_FN(LAZY_PANGOCAIRO, pango_cairo_show_layout)
#define pango_cairo_show_layout_line LAZYLIB_FN(LAZY_PANGOCAIRO, pango_cairo_show_layout_line)

#endif
