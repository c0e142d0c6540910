//! The blocks added to pages beyond their own context: minutes debt, action
//! health, "since the last meeting" and forge links. Each template shows
//! them from a partial of its own (`group_debt.html`, `group_health.html`,
//! …), so a page's own context stays where it is.

use super::{debt, health, links, since, Common};
use crate::config::SiteConfig;
use crate::model::{GroupId, Site, TiVec};
use crate::render::Page;
use crate::resolve::forge::{self, Links};
use chrono::NaiveDate;
use tera::Context;

/// What the added blocks read across the site, worked out once per render.
pub(crate) struct Insights {
    /// Every forge link and where it was mentioned.
    pub(crate) links: Links,
    /// Each group's missing minutes, oldest first.
    pub(crate) missing: TiVec<GroupId, Vec<NaiveDate>>,
    /// Running totals for the meeting pages' "since the last meeting".
    pub(crate) tally: crate::resolve::since::Tally,
}

impl Insights {
    pub(crate) fn new(site: &Site, config: &SiteConfig) -> Insights {
        let days = config.site.minutes_due_days;
        let ((links, tally), missing) = rayon::join(
            || {
                rayon::join(
                    || forge::site_links(site),
                    || crate::resolve::since::Tally::new(site),
                )
            },
            || {
                site.groups
                    .keys()
                    .map(|g| crate::resolve::debt::missing_minutes(site, g, days))
                    .collect()
            },
        );
        Insights {
            links,
            missing,
            tally,
        }
    }
}

/// Adds the blocks of `page` to its context.
pub(crate) fn add(c: &Common, page: Page, ctx: &mut Context) {
    match page {
        Page::Home => debt::add_home(c, ctx),
        Page::Group(g) => {
            debt::add_group(c, g, ctx);
            health::add_group(c, g, ctx);
        }
        Page::Meeting(m) => since::add_meeting(c, m, ctx),
        Page::Person(p) => {
            since::add_person(c, p, ctx);
            health::add_person(c, p, ctx);
            ctx.insert("has_item_feed", &(c.absolute && !c.ix.owned[p].is_empty()));
        }
        Page::Item(i) => links::add_item(c, i, ctx),
        _ => {}
    }
}
