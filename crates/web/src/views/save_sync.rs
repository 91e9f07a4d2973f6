//! The "Save this sync" form shown under step 3's results.

use super::Chrome;
use maud::{Markup, html};
use musync_engine::{Direction, direction_word};

/// What "Save this sync" offers to save.
pub struct SaveOffer {
    /// Left reference.
    pub left: String,
    /// Right reference.
    pub right: String,
    /// The direction preselected.
    pub direction: Direction,
}

/// The form for the two references just synced.
pub fn form(chrome: &Chrome, offer: &SaveOffer) -> Markup {
    let directions = [
        (Direction::Both, "Both ways"),
        (Direction::ToRight, "Left → right only"),
        (Direction::ToLeft, "Right → left only"),
    ];
    html! {
        section.card.save-sync aria-labelledby="save-h" {
            h2 #save-h { "Save this sync" }
            p.muted { "Keep these two playlists in sync later with " code { "musync run NAME" } " (or Run now on the Saved syncs page). Songs that need you wait in the review inbox." }
            form.save-form method="post" action="/saved/add" {
                (chrome.csrf_field())
                input type="hidden" name="left" value=(offer.left);
                input type="hidden" name="right" value=(offer.right);
                div.fields {
                    div.stack {
                        label for="save-name" { "Name" }
                        input #save-name type="text" name="name" required maxlength="64" placeholder="e.g. road-trip";
                    }
                    div.stack {
                        label for="save-direction" { "Direction" }
                        select #save-direction name="direction" {
                            @for (d, label) in directions {
                                option value=(direction_word(d)) selected[d == offer.direction] { (label) }
                            }
                        }
                    }
                    div.stack {
                        label for="save-removals" { "A song removed on one side" }
                        select #save-removals name="removals" {
                            option value="keep" selected { "stays on the other (never copied back)" }
                            option value="propagate" { "is removed from the other too" }
                        }
                    }
                    div.stack.submit { button #save-sync type="submit" { "Save this sync" } }
                }
            }
        }
    }
}
