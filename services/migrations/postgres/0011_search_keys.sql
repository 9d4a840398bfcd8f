-- Search compares stemmed words with umlaut spellings made plain
-- (shared::search::index_text: "Fahrräder" finds "Fahrrad", "Muenchen" finds
-- "München"), and the place filter compares towns the same way (city_key). Both are
-- computed by the application: clearing them here makes Database::migrate compute them
-- again for every listing, in batches.
UPDATE listings SET city_key = '', search_text = NULL;
