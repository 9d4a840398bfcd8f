-- The index also holds the inner parts of the title's compound words
-- (shared::search::compound_parts: "Helm" finds "Fahrradhelm"). Computed by the
-- application: clearing search_text makes Database::migrate compute it again for every
-- listing, in batches.
UPDATE listings SET search_text = NULL;
