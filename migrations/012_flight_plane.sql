-- The plane Torn draws for a target's flight (v2 `status.plane_image_type`: airliner, light_aircraft,
-- private_jet): it tells the ticket, and with it the landing time. Null when Torn did not say (v1, not flying).
alter table targets add column plane_image_type text;
