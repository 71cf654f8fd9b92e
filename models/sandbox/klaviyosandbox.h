#pragma once

#include "sandbox/sandboxapi.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <deque>
#include <optional>
#include <variant>

/** Klaviyo's filter expressions as far as the sandbox reads them. */
namespace KlaviyoFilter {
/// One expression op(field,value): the value a quoted string, a list of them, or bare.
struct Expression
{
    QString op;
    QString field;
    QStringList values;
};
/// The expression, or nullopt when it is not of the form op(field,value).
std::optional<Expression> parse(const QString &text);
/// A query value by its decoded name: clients send page[size] as page%5Bsize%5D.
std::optional<QString> queryValue(const QUrlQuery &query, const QString &name);
} // namespace KlaviyoFilter

/** Checks of the Klaviyo sandbox that are exposed for their tests. */
namespace KlaviyoCheck {
/**
 * Whether the sandbox takes `email` as an email address: exactly the strings that
 * QRegularExpression("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$") matches (one "@" with text before it, a
 * dot inside the domain, no ASCII white space; PCRE's "$" also matches before one final "\n";
 * a lone surrogate makes the match fail), written out because the expression cost microseconds.
 */
bool validEmail(QStringView email);
/**
 * The length of the longest text of an element of an array nested five containers deep in the
 * JSON `body` (where data.attributes.profiles.data's elements are); 0 when there is none. The body
 * must be JSON that QJsonDocument parsed.
 */
qsizetype longestJobItemText(const QByteArray &body);
/**
 * QJsonDocument(item).toJson(Compact) is at most this many times the text the item was parsed
 * from: white space goes; a string character grows at most from one byte to six (a raw control
 * character becomes a six-byte escape); a number at most from 4 to 19 characters (1e18 is written
 * 1000000000000000000); duplicate keys go. Eight leaves a margin.
 */
constexpr qsizetype maxJsonGrowth = 8;
} // namespace KlaviyoCheck

/** One global email-marketing suppression of a Klaviyo profile. */
struct KlaviyoSuppression
{
    QString reason; ///< HARD_BOUNCE, INVALID_EMAIL, SPAM_COMPLAINT, UNSUBSCRIBE, USER_SUPPRESSED
    QDateTime timestamp;
};

/** A profile as Klaviyo stores it (the attributes the sandbox keeps). */
struct KlaviyoProfile
{
    QString id;
    QString email;
    QString firstName;
    QString lastName;
    QString phoneNumber;
    QString organization;
    QString locale;
    QJsonObject location;   ///< address1, address2, city, country, region, zip, timezone, ip ...
    QJsonObject properties; ///< free-form custom properties
    QString consent = QStringLiteral("NEVER_SUBSCRIBED"); ///< SUBSCRIBED, UNSUBSCRIBED, ...
    QDateTime consentTimestamp;                           ///< invalid when never consented
    QString method;       ///< how consent was recorded (e.g. "API"), empty when never
    QString methodDetail; ///< the job's custom_source
    bool doubleOptIn = false;
    QDateTime consentUpdated;
    QList<KlaviyoSuppression> suppression;
    QDateTime created;
    QDateTime updated;

    /// True when there is no global suppression (Klaviyo's can_receive_email_marketing).
    bool canReceiveEmailMarketing() const { return suppression.isEmpty(); }
};

Q_DECLARE_TYPEINFO(KlaviyoProfile, Q_RELOCATABLE_TYPE); // Qt value types only

/** A Klaviyo list. */
struct KlaviyoList
{
    QString id;
    QString name;
    QString optInProcess = QStringLiteral("double_opt_in"); ///< or single_opt_in
    QDateTime created;
    QDateTime updated;
    QList<QString> profileIds;          ///< members in the order they were added
    QHash<QString, QDateTime> joinedAt; ///< profile id -> when it was added (joined_group_at)
};

/** A bulk job the sandbox ran (its changes are applied at once). */
struct KlaviyoJob
{
    QString id;
    QString type; ///< profile-bulk-import-job, profile-suppression-bulk-create-job ...
    int total = 0;
    int completed = 0;
    int failed = 0;
    QDateTime createdAt;
    QDateTime completedAt;
    QStringList listIds;
    /// GETs of the job still answered "processing" (KlaviyoSandbox::setImportJobPolls).
    int pendingPolls = 0;
    /// Import errors: ImportErrorResponseObjectResource documents, one per failed profile.
    QJsonArray errors;
};

/**
 * An account resource the sandbox only lists (tags, segments, templates, campaigns, flows):
 * its id and its JSON:API attributes as the spec's response object has them.
 */
struct KlaviyoResource
{
    QString id;
    QJsonObject attributes;
};

/**
 * The part of Klaviyo's API (revision 2026-07-15) that a migration to Klaviyo uses, in memory:
 * accounts (key check), profiles (cursor-paged, filtered by email or time, created, patched),
 * lists (filtered by name, with profile_count) and their profiles, bulk profile import jobs with
 * their import errors, bulk subscribe, bulk suppress and bulk unsubscribe, and the account's
 * tags, segments, templates (also created), email campaigns and flows. Paths, status codes,
 * JSON:API bodies and the {"errors": [...]} error documents follow
 * ../shared/specs/klaviyo/stable.json; serve it with a SandboxServer. Per-operation rate windows
 * are enforced on request (setRateLimitsEnforced).
 *
 * Every request needs `Authorization: Klaviyo-API-Key <key>` (else 401) and a `revision` header
 * the sandbox knows (else 400). Bodies must be JSON (`application/vnd.api+json` or
 * `application/json`, else 415). Jobs are applied by their POST; an import job's GET reports
 * "complete" at once, or after setImportJobPolls() answers of "processing".
 *
 * Consent, decided from the spec's description of bulk_subscribe_profiles: with
 * historical_import the profile becomes SUBSCRIBED at its consented_at (which must be in the
 * past); without it, a list (or the account default) with double opt-in would mail a
 * confirmation, so the sandbox leaves the consent unchanged and records the address in
 * doubleOptInsSent() - Klaviyo has no email consent value "PENDING" in its documented set; a
 * single opt-in list subscribes at once with the current time.
 */
class KlaviyoSandbox : public SandboxApi
{
public:
    static constexpr int maxProfilesPageSize = 100;    ///< get_profiles page[size] maximum
    static constexpr int defaultProfilesPageSize = 20; ///< get_profiles page[size] default
    static constexpr int maxListsPageSize = 10;        ///< get_lists page[size] maximum
    static constexpr int maxImportProfiles = 10000;    ///< bulk_import_profiles per request
    static constexpr qsizetype maxImportBytes = 5 * 1024 * 1024;   ///< bulk import payload
    static constexpr qsizetype maxImportProfileBytes = 100 * 1024; ///< one imported profile
    static constexpr int maxSubscribeProfiles = 1000;              ///< bulk_subscribe_profiles
    static constexpr int maxSuppressProfiles = 100;                ///< bulk_suppress_profiles
    static constexpr int maxUnsubscribeProfiles = 100;             ///< bulk_unsubscribe_profiles

    /// The revision the sandbox emulates.
    static QByteArray revision() { return QByteArrayLiteral("2026-07-15"); }

    explicit KlaviyoSandbox(QString apiKey);

    QString apiKey() const { return m_apiKey; }

    /// One empty list ("Newsletter", double opt-in) and no profiles; returns the list id.
    QString seedEmpty();
    /// Adds a list; returns its id.
    QString addList(const QString &name,
                    const QString &optInProcess = QStringLiteral("double_opt_in"));
    /// Adds a profile (by id) to a list, as a list import would.
    void addToList(const QString &listId, const QString &profileId);
    /// Adds a profile directly (no validation); returns its id.
    QString putProfile(KlaviyoProfile profile);

    /// Resources of the account (attributes filled as the spec's response objects need).
    QString addTag(const QString &name);
    QString addSegment(const QString &name);
    QString addTemplate(const QString &name, const QString &html,
                        const QString &editorType = QStringLiteral("CODE"));
    QString addCampaign(const QString &name, const QString &status, const QDateTime &sendTime,
                        const QString &channel = QStringLiteral("email"));
    QString addFlow(const QString &name, const QString &status);
    QList<KlaviyoResource> templates() const { return m_templates; }

    /// Import jobs answer "processing" to this many GETs before "complete" (default 0). The
    /// profiles are written when the job is created either way.
    void setImportJobPolls(int polls) { m_importJobPolls = polls; }

    /**
     * Enforces each operation's burst (1 s) and steady (1 min) fixed windows (the spec's
     * x-klaviyo-ratelimit), answering 429 with Retry-After when one is spent, and sending
     * RateLimit-Limit/-Remaining/-Reset on other answers. Off by default.
     */
    void setRateLimitsEnforced(bool on) { m_enforceRateLimits = on; }
    /// Overrides an operation's windows (operation id, e.g. "get_accounts"), for tests.
    void setRateLimit(const QString &operationId, int burstPerSecond, int steadyPerMinute);
    /// The operation id (K-spec operationId) a request is for; empty when none matches.
    static QString operationId(const QByteArray &method, const QString &path);
    /// Requests answered per operation id, including refused ones (for tests of the callers).
    QHash<QString, int> operationCounts() const { return m_operationCounts; }
    /// The body of the last request with a body, per operation id (for checks of the callers).
    QByteArray lastRequestBody(const QString &operationId) const
    {
        return m_lastBodies.value(operationId);
    }
    /// Revision headers the sandbox received, in order.
    QList<QByteArray> revisionsSeen() const { return m_revisionsSeen; }

    QList<KlaviyoProfile> profiles() const { return {m_profiles.cbegin(), m_profiles.cend()}; }
    const KlaviyoProfile *profileByEmail(const QString &email) const;
    const KlaviyoList *list(const QString &id) const;
    QStringList listIds() const;
    /// Addresses a double opt-in confirmation would have been mailed to, in order.
    QStringList doubleOptInsSent() const { return m_doubleOptIns; }

    SandboxResponse handle(const SandboxRequest &request) override;
    SandboxResponse tooManyRequests() const override;
    SandboxResponse problem(int status, const QString &title, const QString &detail) const override;

private:
    SandboxResponse error(int status, const QString &code, const QString &title,
                          const QString &detail, const QJsonObject &source = {},
                          const QJsonObject &meta = {}) const;
    std::optional<SandboxResponse> checkHeaders(const SandboxRequest &request) const;
    SandboxResponse route(const SandboxRequest &request);
    /// get_profiles, or get_profiles_for_list when `list` is given.
    SandboxResponse getProfiles(const SandboxRequest &request,
                                const KlaviyoList *list = nullptr) const;
    SandboxResponse getList(const SandboxRequest &request, const KlaviyoList &list) const;
    SandboxResponse importErrors(const SandboxRequest &request, const KlaviyoJob &job) const;
    /// Tags, segments, templates, campaigns and flows (klaviyoresources.cpp); nullopt when the
    /// path is none of theirs.
    std::optional<SandboxResponse> routeResources(const SandboxRequest &request,
                                                  const QStringList &parts,
                                                  const QJsonObject &body);
    SandboxResponse listResources(const SandboxRequest &request, const QString &type,
                                  const QList<KlaviyoResource> &items, int maxPage,
                                  int defaultPage) const;
    SandboxResponse createTemplate(const QJsonObject &body);
    /// 429 when a window of the request's operation is spent, else records it; headers to add.
    std::optional<SandboxResponse> rateLimit(const SandboxRequest &request,
                                             QList<QPair<QByteArray, QByteArray>> &headers);
    SandboxResponse createProfile(const QJsonObject &body);
    SandboxResponse patchProfile(KlaviyoProfile &profile, const QJsonObject &body);
    SandboxResponse getLists(const SandboxRequest &request) const;
    SandboxResponse createList(const QJsonObject &body);
    SandboxResponse importProfiles(const SandboxRequest &request, const QJsonObject &body);
    SandboxResponse subscribe(const QJsonObject &body);
    /// The addresses of a bulk suppress/unsubscribe job of `type` (at most `max`), or the 400 to
    /// answer; `verb` completes "At most N profiles can be ... per request.".
    std::variant<QStringList, SandboxResponse>
    bulkJobEmails(const QJsonObject &body, const QString &type, int max, const QString &verb) const;
    SandboxResponse suppress(const QJsonObject &body);
    SandboxResponse unsubscribe(const QJsonObject &body);
    SandboxResponse jobResponse(const KlaviyoJob &job, int status) const;

    /// Applies profile attributes; returns an error detail or {}.
    QString applyAttributes(KlaviyoProfile &profile, const QJsonObject &attributes) const;
    QJsonObject profileJson(const KlaviyoProfile &profile, bool withSubscriptions) const;
    QJsonObject listJson(const KlaviyoList &list) const;
    KlaviyoProfile *findProfile(const QString &id);
    KlaviyoProfile *findByEmail(const QString &email);
    KlaviyoList *findList(const QString &id);
    KlaviyoProfile &profileFor(const QString &email); ///< finds or creates
    /// putProfile() with the profile's email already lower-cased; returns its position.
    qsizetype storeProfile(KlaviyoProfile &&profile, const QString &lowerEmail);
    /// addToList() on a list already found.
    static void addToList(KlaviyoList &list, const QString &profileId);
    QString newId(int length);
    QString selfUrl(const QString &path) const;

    QString m_apiKey;
    /// A deque, not a QList: a QList of a million profiles moved to a larger block as it grew
    /// (0.7 s of the sandbox's thread at 524,288, with every request waiting); a deque adds
    /// blocks, and a profile stays where it is (positions and references hold).
    std::deque<KlaviyoProfile> m_profiles;
    QHash<QString, qsizetype> m_profileIndex; ///< id -> position
    QHash<QString, qsizetype> m_emailIndex;   ///< lower-cased email -> position
    bool m_profilesInIdOrder = true; ///< m_profiles sorted by id (true unless ids were given)
    QList<KlaviyoList> m_lists;
    QList<KlaviyoJob> m_jobs;
    QList<KlaviyoResource> m_tags;
    QList<KlaviyoResource> m_segments;
    QList<KlaviyoResource> m_templates;
    QList<KlaviyoResource> m_campaigns;
    QList<KlaviyoResource> m_flows;
    int m_importJobPolls = 0;
    bool m_enforceRateLimits = false;
    struct RateWindowState
    {
        int burst = 0;
        int steady = 0;
        qint64 secondStart = -1;
        int secondCount = 0;
        qint64 minuteStart = -1;
        int minuteCount = 0;
    };
    QHash<QString, RateWindowState> m_rates; ///< by operation id
    QHash<QString, int> m_operationCounts;
    QHash<QString, QByteArray> m_lastBodies;
    QList<QByteArray> m_revisionsSeen;
    QStringList m_doubleOptIns;
    quint64 m_idCounter = 0;
};
