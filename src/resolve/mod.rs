//! Turns the loaded notes into one [`Site`]: people, meeting order, every
//! action item's id, history, status, carry-over, staleness and due dates.
//! Pure: no file system.
