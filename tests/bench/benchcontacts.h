#pragma once

// The generated audience member of the benchmarks: one realistic contact made from an index and 64
// random bits, and its row in a Mailchimp audience export (esp-apis.md 1.9; about 270 bytes).
// bench_assess writes these rows from one sequential random stream; bench_diff derives the bits
// from the index (mixBits) so that it can write the same people again, in another order, as a
// Brevo export.

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace BenchContacts {

inline const char *const kFirst[]
    = {"Anna", "Björn", "Chloé", "Dmitri", "Emma",  "Farid", "Greta",   "Hiro", "Inès",  "José",
       "Kofi", "Lena",  "Mateo", "Nora",   "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Yuki"};
inline const char *const kLast[]
    = {"Andersen", "Brown",    "Costa",   "Dubois", "Evans",    "Fischer",
       "García",   "Hansen",   "Ivanova", "Jensen", "Kowalski", "Larsen",
       "Müller",   "Nakamura", "O'Brien", "Petrov", "Rossi",    "Smith"};
// Mailchimp's address export: line 1, line 2, city, state, zip, country, joined by two spaces.
inline const char *const kCity[]
    = {"Springfield  IL  62701  US", "Lyon    69002  FR",    "Berlin    10115  DE",
       "Austin  TX  73301  US",      "Leeds    LS1 4AP  GB", "Porto    4000-123  PT"};
// TAGS as the export writes them, already CSV-quoted.
inline const char *const kTags[] = {"\"\"\"Customer\"\"\"",
                                    "\"\"\"VIP\"\",\"\"Customer\"\"\"",
                                    "",
                                    "\"\"\"Newsletter\"\"\"",
                                    "\"\"\"Spring Sale 2026\"\",\"\"Newsletter\"\"\"",
                                    ""};

/** splitmix64: 64 well-mixed bits from any 64-bit value (a contact's bits from its index). */
inline std::uint64_t mixBits(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/** One contact's values, everything derived from (index, bits). */
struct Contact
{
    long long index = 0;
    std::uint64_t r = 0;

    const char *first() const { return kFirst[r % 20]; }
    const char *last() const { return kLast[(r >> 8) % 18]; }
    int lastIndex() const { return int((r >> 8) % 18); }
    long long street() const { return index % 9999; }
    int apartment() const { return int(r % 40); }
    const char *cityLine() const { return kCity[(r >> 12) % 6]; }
    int phoneExchange() const { return int((r >> 16) % 1000); }
    int phoneLine() const { return int(index % 10000); }
    int birthMonth() const { return int(1 + (r >> 24) % 12); }
    int birthDay() const { return int(1 + (r >> 28) % 28); }
    int rating() const { return int(1 + (r >> 32) % 5); }
    int optinMonth() const { return int(1 + (r >> 36) % 12); }
    int optinDay() const { return int(1 + (r >> 40) % 28); }
    int optinMinute() const { return int((r >> 44) % 60); }
    int optinIp() const { return int((r >> 48) % 255); }
    int confirmIp() const { return int((r >> 52) % 255); }
    int latitude() const { return int(r % 10000); }
    int longitude() const { return int((r >> 4) % 10000); }
    int changedYear() const { return int(23 + (r >> 56) % 4); }
    int changedMonth() const { return int(1 + (r >> 50) % 12); }
    int changedDay() const { return int(1 + (r >> 45) % 28); }
    long long leid() const { return 100000 + index; }
    unsigned long long euid() const { return static_cast<unsigned long long>(r & 0xFFFFFFFFFFULL); }
    const char *tags() const { return kTags[(r >> 58) % 6]; }
};

/**
 * Writes the contact's Mailchimp export row (no line end) into `line`; returns its length.
 * `email` is the address as written; `company` the Company value (CSV-quoted here).
 */
inline int mailchimpRow(char *line, std::size_t size, const Contact &c, const char *email,
                        const char *company)
{
    // The optin and confirm dates share their bits, as they did when this was bench_assess's own.
    return std::snprintf(
        line, size,
        "%s,%s,\"%s\",\"%lld Main St  Apt %d  %s\",\"+1 555 %03d %04d\",%02d/%02d,\"%s\","
        "%d,\"2024-%02d-%02d 10:%02d:00\",203.0.113.%d,"
        "\"2024-%02d-%02d 10:%02d:30\",203.0.113.%d,\"40.%04d\","
        "\"-88.%04d\",-6,-5,America/Chicago,US,IL,\"20%02d-%02d-%02d 12:00:00\",%lld,%010llx,,%s",
        email, c.first(), c.last(), c.street(), c.apartment(), c.cityLine(), c.phoneExchange(),
        c.phoneLine(), c.birthMonth(), c.birthDay(), company, c.rating(), c.optinMonth(),
        c.optinDay(), c.optinMinute(), c.optinIp(), c.optinMonth(), c.optinDay(), c.optinMinute(),
        c.confirmIp(), c.latitude(), c.longitude(), c.changedYear(), c.changedMonth(),
        c.changedDay(), c.leid(), c.euid(), c.tags());
}

/// The header of a Mailchimp audience export file; kind 0 subscribed, 1 unsubscribed, 2 cleaned.
inline const char *mailchimpHeader(int kind)
{
    switch (kind) {
    case 1:
        return "\"Email Address\",\"First Name\",\"Last Name\",Address,\"Phone "
               "Number\",Birthday,Company,"
               "MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,"
               "GMTOFF,DSTOFF,"
               "TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS,"
               "UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_"
               "OTHER\r\n";
    case 2:
        return "\"Email Address\",\"First Name\",\"Last Name\",Address,\"Phone "
               "Number\",Birthday,Company,"
               "MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,"
               "GMTOFF,DSTOFF,"
               "TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS,"
               "CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID\r\n";
    default:
        return "\"Email Address\",\"First Name\",\"Last Name\",Address,\"Phone "
               "Number\",Birthday,Company,"
               "MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,"
               "GMTOFF,DSTOFF,"
               "TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES,TAGS\r\n";
    }
}

/// The columns the unsubscribed (kind 1) and cleaned (kind 2) files add, with a leading comma.
inline const char *mailchimpStatusColumns(int kind)
{
    if (kind == 1)
        return ",\"2025-03-01 09:00:00\",\"Spring newsletter\",a1b2c3d4e5,\"NORMAL\",";
    if (kind == 2)
        return ",\"2025-04-02 09:00:00\",\"April offer\",f6e5d4c3b2";
    return "";
}

} // namespace BenchContacts
