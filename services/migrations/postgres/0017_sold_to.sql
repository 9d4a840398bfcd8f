-- Whom a sold listing went to, as its seller said (one of the people who wrote about
-- it; NULL: someone else, or not sold). Their conversation stays open when the listing
-- is sold (services/src/conversations/listing.rs).
ALTER TABLE listings ADD COLUMN sold_to TEXT;
