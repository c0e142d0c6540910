//! Plans the site's pages as render jobs and renders them with tera templates
//! from the theme (the default theme is embedded from `themes/default`).
