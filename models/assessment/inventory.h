#pragma once

#include "contacts/contactstatus.h"
#include "contacts/fieldtype.h"
#include "exports/exportdialect.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>

/** One CSV stream that went into an assessment. */
struct InventorySource
{
    QString path;        ///< file on disk
    QString part;        ///< display name (file, or "archive › entry")
    ExportDialect dialect = ExportDialect::Generic;
    QString statusSource;///< how row statuses were found; empty when unknown
    qint64 rows = 0;
    qint64 bytes = 0;
    QString encoding;
    QString delimiter;   ///< ",", ";" or "tab"
};

struct InventoryField
{
    QString name;
    FieldType type = FieldType::Text;
    qint64 filled = 0;   ///< rows with a non-blank value
    bool custom = true;  ///< a field the user defined; false for platform metadata
};

struct InventoryTag
{
    QString name;
    qint64 count = 0;
};

/** Opt-in and confirmation evidence (esp-apis.md 1.9: OPTIN_TIME/IP, CONFIRM_TIME/IP). */
struct ConsentCoverage
{
    bool available = false;  ///< the export has at least one evidence column
    qint64 optinTime = 0;
    qint64 optinIp = 0;
    qint64 confirmTime = 0;
    qint64 confirmIp = 0;
    qint64 withEvidence = 0;            ///< an opt-in or a confirmation time
    qint64 subscribed = 0;              ///< subscribed rows (the denominator that matters)
    qint64 subscribedWithEvidence = 0;
};

/** How engaged the audience is: member rating, and how long since each contact last changed. */
struct Engagement
{
    bool ratingAvailable = false;
    std::array<qint64, 6> rating{};     ///< [0] no rating, [1]..[5] stars
    bool lastChangedAvailable = false;
    QDate reference;                    ///< the newest change in the export: "now" for the buckets
    std::array<qint64, 6> lastChanged{};///< see LastChangedBucket

    enum LastChangedBucket { Within30Days, Days31To90, Days91To180, Days181To365, Over1Year, Unknown };
    static QString bucketKey(int bucket);
    static QString bucketName(int bucket);
};

/** A listed problem row: a duplicate or an invalid address. */
struct Finding
{
    enum Kind { Duplicate, InvalidEmail };
    Kind kind = InvalidEmail;
    QString address;     ///< as written in the file
    QString source;      ///< display name of the part
    qint64 line = 0;
    QString detail;      ///< the problem, or where the first occurrence is

    static QString kindKey(Kind kind);
};

/**
 * What a source platform's API said about the account beyond its contacts (assessment through the
 * API). A count of -1 means the API does not expose it (enter those assets by hand).
 */
struct AccountSummary
{
    bool available = false; ///< the inventory was read through an API
    QString platform;       ///< "mailchimp" ...
    QString account;        ///< the account's name
    QString audience;       ///< the audience (list) that was read
    int templates = -1;
    int campaigns = -1;
    int campaignsLast12Months = -1;
    int automations = -1;
    int segments = -1;
    int integrations = -1;
    int sendingDomains = -1;
    int sendingDomainsAuthenticated = -1;
};

/** The assessment of a set of export files (or of an account, read through its API). */
struct Inventory
{
    ExportDialect dialect = ExportDialect::Generic;
    QList<InventorySource> sources;
    qint64 total = 0;
    std::array<qint64, kAllContactStatuses.size()> byStatus{};
    qint64 duplicates = 0;
    qint64 invalidEmails = 0;
    QList<InventoryField> fields;
    QList<InventoryTag> tags;             ///< by count, descending
    ConsentCoverage consent;
    Engagement engagement;
    QStringList unrecognisedStatusValues; ///< a few samples of status words not understood
    QList<Finding> findings;              ///< every duplicate and invalid address (not in toJson())
    AccountSummary account;               ///< when read through an API

    qint64 count(ContactStatus status) const { return byStatus[size_t(status)]; }
    qint64 suppressions() const;
    int customFieldCount() const;

    /// The summary as printed by `stagecoach assess --json` (without findings and risks).
    QJsonObject toJson() const;
    /// Reads toJson()'s output back (findings stay empty).
    static Inventory fromJson(const QJsonObject &json);
};
