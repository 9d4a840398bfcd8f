-- The time zone a member reads times in, chosen in the profile (an IANA name such as
-- Europe/Berlin, checked against the server's database of zones). NULL: the browser's
-- own zone, else Europe/Berlin.
ALTER TABLE users ADD COLUMN time_zone TEXT;
