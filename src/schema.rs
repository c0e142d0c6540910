//! A JSON Schema of a meeting's front matter, for editors (the YAML language
//! server completes and checks notes against it as they are typed).

use serde_json::{json, Value};

/// The JSON Schema (draft-07) of a meeting note's front matter.
pub fn front_matter_schema() -> Value {
    let person = json!({
        "oneOf": [
            {"type": "string", "description": "A name, an alias or @handle from people.yaml"},
            {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "affiliation": {"type": "string"},
                    "email": {"type": "string"},
                    "handle": {"type": "string"}
                },
                "required": ["name"],
                "additionalProperties": false
            }
        ]
    });
    let people = json!({"oneOf": [{"$ref": "#/definitions/person"}, {"type": "array", "items": {"$ref": "#/definitions/person"}}]});
    let date = json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "YYYY-MM-DD"});
    let due = json!({
        "type": "string",
        "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[Nn]ext meeting|\\+[0-9]+ meetings?)$",
        "description": "A date (YYYY-MM-DD), \"next meeting\" or \"+N meetings\""
    });
    let item_status = json!({"enum": ["open", "in-progress", "blocked", "done", "dropped"]});
    let id = json!({"type": "string", "pattern": "^[a-z0-9-]+$"});
    let ids = json!({"oneOf": [id.clone(), {"type": "array", "items": id.clone()}], "description": "an earlier decision's id, or a list"});
    let private = json!({"type": "boolean", "description": "true: never published"});
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://quorum.dev/schema/meeting.json",
        "title": "quorum meeting note front matter",
        "type": "object",
        "additionalProperties": false,
        "definitions": {"person": person, "people": people},
        "properties": {
            "title": {"type": "string"},
            "date": date,
            "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:MM, 24-hour"},
            "duration": {"type": "integer", "minimum": 1, "maximum": 1440, "description": "minutes (default 60)"},
            "timezone": {"type": "string", "description": "IANA name or UTC offset"},
            "status": {"enum": ["held", "cancelled", "planned"]},
            "location": {"type": "string"},
            "moderator": {"$ref": "#/definitions/people"},
            "chair": {"$ref": "#/definitions/people"},
            "note_taker": {"$ref": "#/definitions/people"},
            "attendees": {"type": "array", "items": {"$ref": "#/definitions/person"}},
            "regrets": {"type": "array", "items": {"$ref": "#/definitions/person"}},
            "agenda": {"type": "array", "items": {"oneOf": [
                {"type": "string"},
                {"type": "object", "properties": {"title": {"type": "string"}, "link": {"type": "string"},
                    "private": private},
                 "required": ["title"], "additionalProperties": false}
            ]}},
            "outcomes": {"type": "array", "items": {"oneOf": [
                {"type": "string"},
                {"type": "object", "properties": {
                    "text": {"type": "string"},
                    "kind": {"enum": ["outcome", "decision", "resolution"]},
                    "votes": {"type": "object", "properties": {
                        "for": {"type": "integer", "minimum": 0},
                        "against": {"type": "integer", "minimum": 0},
                        "abstain": {"type": "integer", "minimum": 0}
                    }, "additionalProperties": false},
                    "id": id,
                    "supersedes": ids, "amends": ids, "revokes": ids,
                    "private": private
                 }, "required": ["text"], "additionalProperties": false}
            ]}},
            "actions": {"type": "array", "items": {"oneOf": [
                {"type": "object", "description": "A new action item", "properties": {
                    "id": id, "owner": {"$ref": "#/definitions/people"}, "task": {"type": "string"},
                    "due": due, "status": item_status, "private": private
                 }, "required": ["owner", "task"], "additionalProperties": false},
                {"type": "object", "description": "An update of an item from an earlier meeting", "properties": {
                    "ref": id, "status": item_status, "owner": {"$ref": "#/definitions/people"},
                    "due": due, "note": {"type": "string"}, "private": private
                 }, "required": ["ref"], "additionalProperties": false}
            ]}},
            "tags": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
            "extra": {"type": "object"},
            "visibility": {"enum": ["public", "private"], "description": "private: nothing of the note is published"}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::MEETING_KEYS;

    #[test]
    fn schema_lists_every_key_the_reader_accepts() {
        let s = front_matter_schema();
        let props = s["properties"].as_object().unwrap();
        let mut keys: Vec<_> = props.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut known = MEETING_KEYS.to_vec();
        known.sort_unstable();
        assert_eq!(keys, known);
    }
}
