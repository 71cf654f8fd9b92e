-- The integrity diff of bench_diff done with sqlite3 joins, as a user would at the command line:
--   cd DIR && sqlite3 diff.db < diff_sqlite.sql
-- Imports the Mailchimp export CSVs and the Brevo export, normalises the addresses (trim, lower
-- case), indexes them, and counts missing and extra records with LEFT JOINs both ways, the changes
-- per field (the status compared as subscribed or not) and the consent violations. Prints
-- "key value" lines.
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
.mode csv
.import subscribed_members_export_bench.csv mc_subscribed
.import unsubscribed_members_export_bench.csv mc_unsubscribed
.import cleaned_members_export_bench.csv mc_cleaned
.separator ;
.import brevo_contacts_export_bench.csv brevo

CREATE TABLE s AS
SELECT lower(trim("Email Address")) AS email, 'subscribed' AS status, "First Name" AS first,
       "Last Name" AS last, "Phone Number" AS phone, Company AS company, Address AS address,
       OPTIN_TIME AS optin_time, OPTIN_IP AS optin_ip, CONFIRM_TIME AS confirm_time,
       CONFIRM_IP AS confirm_ip, CC AS cc, REGION AS region FROM mc_subscribed
UNION ALL
SELECT lower(trim("Email Address")), 'unsubscribed', "First Name", "Last Name", "Phone Number",
       Company, Address, OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, CC, REGION
FROM mc_unsubscribed
UNION ALL
SELECT lower(trim("Email Address")), 'cleaned', "First Name", "Last Name", "Phone Number",
       Company, Address, OPTIN_TIME, OPTIN_IP, CONFIRM_TIME, CONFIRM_IP, CC, REGION FROM mc_cleaned;

CREATE TABLE t AS
SELECT lower(trim(EMAIL)) AS email,
       lower(trim(EMAIL_BLACKLISTED)) IN ('yes', 'true', '1') AS blocked,
       FIRSTNAME AS first, LASTNAME AS last, SMS AS phone, COMPANY AS company,
       ADDRESS_LINE_1 || '  ' || ADDRESS_LINE_2 || '  ' || ADDRESS_CITY || '  ' || ADDRESS_STATE
           || '  ' || ADDRESS_ZIP || '  ' || ADDRESS_COUNTRY AS address,
       OPTIN_TIME AS optin_time, OPTIN_IP AS optin_ip, CONFIRM_TIME AS confirm_time,
       CONFIRM_IP AS confirm_ip, CC AS cc, REGION AS region FROM brevo;

CREATE INDEX s_email ON s(email);
CREATE INDEX t_email ON t(email);

CREATE TEMP TABLE cmp AS
SELECT s.status AS status, t.blocked AS blocked,
       trim(s.first) <> trim(t.first) AS d_first,
       trim(s.last) <> trim(t.last) AS d_last,
       replace(replace(trim(s.phone), ' ', ''), '-', '')
           <> replace(replace(trim(t.phone), ' ', ''), '-', '') AS d_phone,
       trim(s.company) <> trim(t.company) AS d_company,
       trim(s.address) <> trim(t.address) AS d_address,
       trim(s.optin_time) <> trim(t.optin_time) AS d_optin_time,
       trim(s.optin_ip) <> trim(t.optin_ip) AS d_optin_ip,
       trim(s.confirm_time) <> trim(t.confirm_time) AS d_confirm_time,
       trim(s.confirm_ip) <> trim(t.confirm_ip) AS d_confirm_ip,
       trim(s.cc) <> trim(t.cc) AS d_cc,
       trim(s.region) <> trim(t.region) AS d_region,
       (s.status = 'subscribed') <> (NOT t.blocked) AS d_status
FROM s JOIN t ON t.email = s.email;

.mode list
.separator " "
SELECT 'sourceRecords', count(*) FROM s;
SELECT 'targetRecords', count(*) FROM t;
SELECT 'missing', count(*) FROM s LEFT JOIN t ON t.email = s.email WHERE t.email IS NULL;
SELECT 'extra', count(*) FROM t LEFT JOIN s ON s.email = t.email WHERE s.email IS NULL;
SELECT 'field:FIRSTNAME', ifnull(sum(d_first), 0) FROM cmp;
SELECT 'field:LASTNAME', ifnull(sum(d_last), 0) FROM cmp;
SELECT 'field:SMS', ifnull(sum(d_phone), 0) FROM cmp;
SELECT 'field:COMPANY', ifnull(sum(d_company), 0) FROM cmp;
SELECT 'field:ADDRESS', ifnull(sum(d_address), 0) FROM cmp;
SELECT 'field:OPTIN_TIME', ifnull(sum(d_optin_time), 0) FROM cmp;
SELECT 'field:OPTIN_IP', ifnull(sum(d_optin_ip), 0) FROM cmp;
SELECT 'field:CONFIRM_TIME', ifnull(sum(d_confirm_time), 0) FROM cmp;
SELECT 'field:CONFIRM_IP', ifnull(sum(d_confirm_ip), 0) FROM cmp;
SELECT 'field:CC', ifnull(sum(d_cc), 0) FROM cmp;
SELECT 'field:REGION', ifnull(sum(d_region), 0) FROM cmp;
SELECT 'field:status', ifnull(sum(d_status), 0) FROM cmp;
SELECT 'changed', count(*) FROM cmp WHERE d_first OR d_last OR d_phone OR d_company OR d_address
    OR d_optin_time OR d_optin_ip OR d_confirm_time OR d_confirm_ip OR d_cc OR d_region OR d_status;
SELECT 'identical', count(*) FROM cmp WHERE NOT (d_first OR d_last OR d_phone OR d_company
    OR d_address OR d_optin_time OR d_optin_ip OR d_confirm_time OR d_confirm_ip OR d_cc OR d_region
    OR d_status);
SELECT 'consentViolations', count(*) FROM cmp WHERE status <> 'subscribed' AND NOT blocked;
