#pragma once

#include "connectors/consentmapping.h"
#include "connectors/targetplatform.h"
#include "contacts/contactstatus.h"
#include "contacts/fieldtype.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFlags>
#include <QFuture>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariant>

#include <optional>

class HttpClient;

/**
 * Where and as whom a connector talks to a platform. The key comes from the keychain
 * (SecretStore) and is never written anywhere else.
 */
struct ConnectionSettings
{
    TargetPlatform platform = TargetPlatform::Mailchimp;
    QString apiKey;
    /// The API root, e.g. http://127.0.0.1:8080/3.0 for the sandbox; empty: the platform's public
    /// host (Mailchimp https://<dc>.api.mailchimp.com/3.0 with the data center from the key,
    /// Brevo https://api.brevo.com/v3, Klaviyo https://a.klaviyo.com/api).
    QUrl baseUrl;
};

/** What the platform says about the account a key belongs to (the "Test connection" answer). */
struct AccountInfo
{
    QString id;         ///< the platform's account id
    QString name;       ///< the account or company name
    QString email;      ///< the account owner's address, when the API gives it
    QString detail;     ///< one line more: Mailchimp's data center, Brevo's plan ...
};

/** An audience (Mailchimp), a list (Brevo, Klaviyo). */
struct Audience
{
    QString id;
    QString name;
    qint64 contacts = -1; ///< every member, whatever the status; -1 when the API does not say
    /// Members per status as far as the API counts them (Mailchimp's stats); may be partial.
    QHash<ContactStatus, qint64> byStatus;
    QDateTime created;
};

/** A custom field definition: a merge field, an attribute, a property. */
struct FieldDefinition
{
    QString key;   ///< what contacts' fields are keyed by: merge tag, attribute name, property
    QString label; ///< the name people see (Mailchimp's field name); the key when none
    FieldType type = FieldType::Text;
    QString platformType; ///< the platform's own type word ("dropdown", "float", ...)
    bool required = false;
    QStringList choices; ///< for dropdown/radio/category fields
    QString format;      ///< e.g. Mailchimp's date_format "MM/DD/YYYY"
};

/** Where a contact is, as the platform records it. Empty fields are unknown. */
struct ContactLocation
{
    QString countryCode; ///< ISO 3166-1 alpha-2
    QString region;
    QString timezone;
    std::optional<double> latitude;
    std::optional<double> longitude;
};

/** One contact as a source platform holds it. */
struct SourceContact
{
    QString id;    ///< the platform's id (subscriber hash, contact id, profile id)
    QString email; ///< as the platform stores it
    ContactStatus status = ContactStatus::Unknown; ///< never Subscribed unless the platform says so
    QString platformStatus; ///< the platform's own word(s), for reports ("cleaned", "SUBSCRIBED")
    /// Custom field values keyed by FieldDefinition::key, as text the way the platform's export
    /// writes them (an address as its parts joined by two spaces, as Mailchimp's export does).
    QHash<QString, QString> fields;
    QStringList tags;
    ConsentEvidence consent;
    QString language;
    ContactLocation location;
    int rating = -1; ///< engagement 0..5 (Mailchimp's member_rating); -1 when unknown
    QDateTime lastChanged;
};

/** What to read from a contact listing. */
struct ContactQuery
{
    QString cursor;   ///< from the previous page's next; empty: the first page
    int pageSize = 0; ///< 0: the platform's largest page
    /// Only contacts changed after this time (an incremental stage); invalid: all.
    QDateTime changedSince;
};

/** One page of contacts. */
struct ContactPage
{
    QList<SourceContact> contacts;
    QString next;     ///< cursor of the next page; empty after the last page
    qint64 total = -1; ///< every contact the listing holds, when the platform says
};

struct TagInfo
{
    QString id;
    QString name;
    qint64 contacts = -1;
};

struct SegmentInfo
{
    QString id;
    QString name;
    QString kind; ///< "saved", "static", "fuzzy" (Mailchimp); "segment" elsewhere
    qint64 contacts = -1;
};

struct TemplateInfo
{
    QString id;
    QString name;
    QString kind; ///< "user", "base", "gallery", "drag-and-drop" ...
    QDateTime created;
    QDateTime modified;
    bool active = true;
    QString subject; ///< when the platform keeps one with the template
    QString html;    ///< only from templateContent()
};

/** A sent (or scheduled) campaign and what its report says. */
struct CampaignInfo
{
    QString id;
    QString name;
    QString subject;
    QString status; ///< the platform's word: "sent", "draft", "scheduled" ...
    QDateTime sentAt;
    qint64 recipients = -1;
    bool hasReport = false;
    qint64 uniqueOpens = -1;
    qint64 uniqueClicks = -1;
    qint64 hardBounces = -1;
    qint64 softBounces = -1;
    qint64 unsubscribes = -1;
    qint64 complaints = -1;
};

/** An automation (Mailchimp classic automation or customer journey, Klaviyo flow). */
struct AutomationInfo
{
    QString id;
    QString name;
    QString status; ///< "sending", "paused", "live", "draft" ...
    int emails = -1; ///< emails in the workflow, when known
    QDateTime created;
};

struct SendingDomainInfo
{
    QString domain;
    bool verified = false;      ///< the platform checked the sender owns it
    bool authenticated = false; ///< DKIM/SPF set up as the platform requires
};

/** A connected site, store or app that feeds the platform. */
struct IntegrationInfo
{
    QString id;
    QString name;
    QString kind; ///< "connected site", "e-commerce store", ...
};

/**
 * Reading a platform as the source of a migration. Every call is asynchronous: the returned
 * future is answered on the HttpClient's thread (use then() with a context object, or a
 * QFutureWatcher, to come back to the GUI thread; a worker thread may wait on it). An Error says
 * what the platform said and what to do (ApiError); nothing is half-delivered: a listing that
 * fails part-way fails as a whole.
 */
class SourceConnector
{
public:
    /// What the platform's API lets a source connector read.
    enum class Feature {
        Audiences = 0x001,
        Contacts = 0x002,
        Fields = 0x004,
        Tags = 0x008,
        Segments = 0x010,
        Templates = 0x020,
        Campaigns = 0x040,
        Automations = 0x080,
        SendingDomains = 0x100,
        Integrations = 0x200,
        ChangesSince = 0x400, ///< ContactQuery::changedSince is honoured
    };
    Q_DECLARE_FLAGS(Features, Feature)

    virtual ~SourceConnector() = default;

    virtual TargetPlatform platform() const = 0;
    virtual Features features() const = 0;

    /// Checks the key against the platform and says whose account it is.
    virtual QFuture<Result<AccountInfo>> testConnection() = 0;

    virtual QFuture<Result<QList<Audience>>> audiences() = 0;
    /// The audience's field definitions (Brevo and Klaviyo: the account's).
    virtual QFuture<Result<QList<FieldDefinition>>> fields(const QString &audienceId) = 0;
    /**
     * One page of the audience's contacts in every status. Brevo and Klaviyo: an empty
     * audienceId reads every contact of the account. Pages follow each other through
     * ContactPage::next; a caller streams by asking for the next page once it has handled one.
     */
    virtual QFuture<Result<ContactPage>> contacts(const QString &audienceId,
                                                  const ContactQuery &query) = 0;
    virtual QFuture<Result<QList<TagInfo>>> tags(const QString &audienceId) = 0;
    virtual QFuture<Result<QList<SegmentInfo>>> segments(const QString &audienceId) = 0;
    virtual QFuture<Result<QList<TemplateInfo>>> templates() = 0;
    /// One template with its HTML.
    virtual QFuture<Result<TemplateInfo>> templateContent(const QString &templateId) = 0;
    /// Campaigns (with their reports) sent or created since `since`; invalid: all.
    virtual QFuture<Result<QList<CampaignInfo>>> campaigns(const QDateTime &since) = 0;
    virtual QFuture<Result<QList<AutomationInfo>>> automations() = 0;
    virtual QFuture<Result<QList<SendingDomainInfo>>> sendingDomains() = 0;
    virtual QFuture<Result<QList<IntegrationInfo>>> integrations() = 0;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(SourceConnector::Features)

/** A field the target must have before contacts are written (from the field mapping). */
struct FieldSpec
{
    QString name; ///< the target's name (FieldMappingRow::targets, ConsentMapping evidence fields)
    FieldType type = FieldType::Text;
    QString label; ///< what people see, when the platform keeps a label apart from the name
    QStringList choices;
};

/** A list, field or template on the target, and whether ensuring it created it. */
struct EnsuredItem
{
    QString id;   ///< the platform's id (list id, merge tag, attribute name, template id)
    QString name;
    bool created = false; ///< false: it was already there
    FieldType type = FieldType::Text;
};

/** One contact to write on a target: consent decided by ConsentMapping, fields already mapped. */
struct TargetContact
{
    QString email;
    /// ConsentMapping::map(source status, evidence, this platform): the only thing that decides
    /// status, consent, suppression and the evidence attributes written.
    ContactWrite write;
    /// Target field name -> value coerced by ValueCoercion (QString, double, QDate, QDateTime,
    /// bool). A null QVariant leaves the target's value unchanged.
    QHash<QString, QVariant> fields;
    /// Mailchimp: tags; Brevo: one list per tag; Klaviyo: the list-valued property "tags"
    /// (FieldMapping::placeTags).
    QStringList tags;
    /// The platform's own language field (Mailchimp language, Klaviyo locale). Brevo has none:
    /// there the field mapping carries it as an attribute in `fields`.
    QString language;
};

/** A contact the platform (or the connector's own validation) did not take, and why. */
struct WriteFailure
{
    QString email;
    QString code;    ///< the platform's code ("ERROR_CONTACT_EXISTS", "invalid_parameter"), or
                     ///< the connector's ("not_written", "invalid_email")
    QString message; ///< the platform's words, translated where they are ours
};

/**
 * What one batch write did. Every contact handed in is either counted in written or named in
 * failed: written + failed.size() == the batch size.
 */
struct BatchResult
{
    qint64 written = 0;
    QList<WriteFailure> failed;
    QString jobId;    ///< the platform's import job / process / batch id, when it used one
    int requests = 0; ///< HTTP requests the batch took, polling included
};

/** A contact as the target holds it after a transfer, for verification. */
struct TargetContactRecord
{
    QString email;
    TargetState state; ///< what ConsentMapping::statusOnTarget reads
    QHash<QString, QString> fields;
    QStringList tags;
};

struct TargetContactPage
{
    QList<TargetContactRecord> contacts;
    QString next;
    qint64 total = -1;
};

/** Content to create as a template on the target. */
struct TemplateContent
{
    QString name;
    QString subject;
    QString html; ///< with the target's merge tags already translated
    QString senderName;
    QString senderEmail;
};

/**
 * Writing a migration into a platform. Same threading and error rules as SourceConnector. Every
 * write is idempotent: contacts are upserted keyed by email, lists, fields and templates are found
 * by name before they are created, so a batch sent twice (after a crash, or a retry) changes
 * nothing the second time. No write sends a double opt-in mail.
 */
class TargetConnector
{
public:
    virtual ~TargetConnector() = default;

    virtual TargetPlatform platform() const = 0;
    virtual QFuture<Result<AccountInfo>> testConnection() = 0;

    /// The most contacts one writeSuppressions()/upsertContacts() call takes.
    virtual int maxBatchSize() const = 0;
    /**
     * How many writeSuppressions()/upsertContacts() calls (of different contacts) may run at
     * once. 1 unless the connector's writes share nothing that two batches could race for (a
     * tag or list each creates when first met, say). The rate limiter still paces the requests.
     */
    virtual int maxBatchesInFlight() const { return 1; }

    /// Finds the list (audience) of that name, or creates it (single opt-in where the platform
    /// asks). Brevo also ensures its holding list for contacts that must not be mailed.
    virtual QFuture<Result<EnsuredItem>> ensureList(const QString &name) = 0;
    /// Finds or creates each field; the result has one item per spec, in order.
    virtual QFuture<Result<QList<EnsuredItem>>> ensureFields(const QString &listId,
                                                             const QList<FieldSpec> &fields) = 0;
    /**
     * Wave 0: contacts whose write.wave is Suppression. Contacts of another wave are not written
     * and come back in failed with code "wrong_wave".
     */
    virtual QFuture<Result<BatchResult>> writeSuppressions(const QString &listId,
                                                           const QList<TargetContact> &contacts)
        = 0;
    /**
     * Contacts whose write.wave is NonMarketable or Subscriber, written exactly as their
     * ContactWrite says. Suppression or Skip contacts come back in failed ("wrong_wave").
     */
    virtual QFuture<Result<BatchResult>> upsertContacts(const QString &listId,
                                                        const QList<TargetContact> &contacts)
        = 0;
    /// Finds a template of that name or creates it.
    virtual QFuture<Result<EnsuredItem>> writeTemplate(const TemplateContent &content) = 0;
    /// Reads the list's contacts back (Brevo: with the holding list's, Klaviyo: every profile
    /// when listId is empty).
    virtual QFuture<Result<TargetContactPage>> readContacts(const QString &listId,
                                                            const ContactQuery &query) = 0;
    /// Contacts per status (ConsentMapping::statusOnTarget) on the target's list.
    virtual QFuture<Result<QHash<ContactStatus, qint64>>> countsByStatus(const QString &listId) = 0;
};

/** Helpers every connector shares. */
class Connectors
{
    Q_DECLARE_TR_FUNCTIONS(Connectors)

public:
    /// A future that is already answered with `value` (or an Error).
    template<typename T>
    static QFuture<Result<T>> ready(Result<T> value)
    {
        return QtFuture::makeReadyFuture(std::move(value));
    }

    /// The Error of a feature the platform's API does not offer.
    static Error unsupported(TargetPlatform platform, const QString &what);

    /// A contact handed to the wrong kind of write, as a WriteFailure.
    static WriteFailure wrongWave(const TargetContact &contact);
};
