#pragma once

#include "sandbox/sandboxapi.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <optional>

/** One contact as Brevo stores it (getContactDetails in swagger.yaml). */
struct BrevoContact
{
    qint64 id = 0;
    QString email; ///< lower case, as Brevo stores it
    bool emailBlacklisted = false;
    bool smsBlacklisted = false;
    QList<qint64> listIds;
    /// Lists the contact unsubscribed from (only where per-list unsubscription is turned on).
    QList<qint64> listUnsubscribed;
    QJsonObject attributes; ///< UPPER-CASE attribute names
    QDateTime createdAt;
    QDateTime modifiedAt;
};

struct BrevoFolder
{
    qint64 id = 0;
    QString name;
};

struct BrevoList
{
    qint64 id = 0;
    QString name;
    qint64 folderId = 0;
};

/** A contact attribute definition (GET /contacts/attributes). */
struct BrevoAttribute
{
    QString name;     ///< upper case
    QString category; ///< normal, transactional, category, calculated, global
    QString type;     ///< text, date, float, id, boolean; empty for multiple-choice
    QJsonArray enumeration;
    QStringList multiCategoryOptions;
};

struct BrevoProcess
{
    qint64 id = 0;
    QString name;
    QString status; ///< queued, in_process, completed
    int pollsLeft = 0; ///< GET /processes/{id} answers "in_process" this many more times
};

/** A transactional blocklist entry (GET /smtp/blockedContacts). */
struct BrevoBlockedContact
{
    QString email;
    QString senderEmail;
    QString reasonCode; ///< hardBounce, contactFlaggedAsSpam, unsubscribedViaEmail ...
    QDateTime blockedAt;
};

/** An email template (/smtp/templates). */
struct BrevoTemplate
{
    qint64 id = 0;
    QString name;
    QString subject;
    QString senderName;
    QString senderEmail;
    QString htmlContent;
    bool isActive = true;
    QDateTime createdAt;
    QDateTime modifiedAt;
};

/** A sent or draft email campaign with its global statistics (GET /emailCampaigns). */
struct BrevoCampaign
{
    qint64 id = 0;
    QString name;
    QString subject;
    QString status = QStringLiteral("sent"); ///< draft, sent, queued, suspended, archive ...
    QDateTime createdAt;
    QDateTime sentDate; ///< invalid when not sent
    qint64 sent = 0;
    qint64 delivered = 0;
    qint64 uniqueViews = 0;
    qint64 uniqueClicks = 0;
    qint64 hardBounces = 0;
    qint64 softBounces = 0;
    qint64 unsubscriptions = 0;
    qint64 complaints = 0;
};

/** A sending domain (GET /senders/domains). */
struct BrevoDomain
{
    qint64 id = 0;
    QString name;
    bool authenticated = false;
    bool verified = false;
};

struct BrevoSegment
{
    qint64 id = 0;
    QString name;
    QString category;
};

/**
 * The part of the Brevo API v3 that a Brevo connector needs for contacts, in memory: account,
 * contacts (paged, created, updated), lists, folders, attribute definitions, the JSON bulk import
 * and its process. Paths, the `api-key` header, status codes and the {code, message} error bodies
 * follow ../shared/specs/brevo/swagger.yaml; serve it over HTTP with a SandboxServer.
 *
 * Contact endpoints carry Brevo's x-sib-ratelimit-* headers for a window of one second; requests
 * over the limit are answered with 429 only when enforcement is switched on.
 */
class BrevoSandbox : public SandboxApi
{
public:
    static constexpr int maxContactsPage = 1000;          ///< GET /contacts limit maximum
    static constexpr int defaultContactsPage = 50;        ///< GET /contacts limit default
    static constexpr int maxListsPage = 50;               ///< GET /contacts/lists|folders
    static constexpr int defaultListsPage = 10;           ///< their default limit
    static constexpr qsizetype maxImportBytes = 8 << 20; ///< POST /contacts/import body
    static constexpr int contactsPerSecond = 10;          ///< /v3/contacts/* limit (esp-apis §2.1)
    static constexpr int maxListContactsPage = 500;       ///< GET /contacts/lists/{id}/contacts
    static constexpr int maxTemplatesPage = 1000;         ///< GET /smtp/templates
    static constexpr int maxCampaignsPage = 100;          ///< GET /emailCampaigns
    static constexpr int maxBlockedPage = 100;            ///< GET /smtp/blockedContacts
    static constexpr int otherRequestsPerHour = 100;      ///< every other endpoint (esp-apis §2.1)
    static constexpr int maxListAdd = 150; ///< POST /contacts/lists/{id}/contacts/add emails|ids

    explicit BrevoSandbox(QString apiKey);

    QString apiKey() const { return m_apiKey; }

    /// The default attributes (EMAIL, FIRSTNAME, LASTNAME, SMS), one folder and one empty list;
    /// returns the list id.
    qint64 seedEmpty();
    /// Adds a folder / a list directly; returns the id.
    qint64 addFolder(const QString &name);
    qint64 addList(const QString &name, qint64 folderId);
    /// Adds a contact directly (no validation); its id and timestamps are set when 0 / invalid.
    qint64 putContact(BrevoContact contact);

    const QList<BrevoContact> &contacts() const { return m_contacts; }
    const BrevoContact *contact(const QString &emailOrId) const;
    const QList<BrevoList> &lists() const { return m_lists; }
    const QList<BrevoAttribute> &attributes() const { return m_attributes; }

    /// Answers requests over the limit with 429 (off by default: headers only).
    void setEnforceRateLimit(bool enforce) { m_enforceRateLimit = enforce; }
    /// Answers requests to non-contact endpoints over otherRequestsPerHour with 429 (off by
    /// default: the x-sib-ratelimit headers only).
    void setEnforceHourlyLimit(bool enforce) { m_enforceHourlyLimit = enforce; }
    /// Sends the x-sib-ratelimit headers (on by default). Off: an account without limits, for
    /// benchmarks (a client that learns from the headers would otherwise pace itself by them).
    void setRateLimitHeaders(bool send) { m_rateLimitHeaders = send; }
    /// Requests to non-contact endpoints in the current hour.
    int otherRequestsThisHour() const { return m_hourCount; }
    /// The next `polls` GET /processes/{id} of each new import answer "in_process" first.
    void setImportPolls(int polls) { m_importPolls = polls; }

    void addBlockedContact(BrevoBlockedContact blocked);
    qint64 addTemplate(BrevoTemplate t);
    qint64 addCampaign(BrevoCampaign campaign);
    void addDomain(const QString &name, bool authenticated, bool verified);
    qint64 addSegment(const QString &name, const QString &category);
    const QList<BrevoTemplate> &templates() const { return m_templates; }
    const QList<BrevoFolder> &folders() const { return m_folders; }
    /// Fault for tests: POST /contacts/lists/{id}/contacts/add names this address (any case) in
    /// contacts.failure instead of adding it, as Brevo does for an address it will not add.
    void refuseListAdd(const QString &email) { m_refusedListAdds.insert(email.toLower()); }
    /// Requests per path as received, e.g. "GET /v3/processes/1".
    int processRequests() const { return m_processRequests; }

    SandboxResponse handle(const SandboxRequest &request) override;
    SandboxResponse tooManyRequests() const override;
    SandboxResponse problem(int status, const QString &title, const QString &detail) const override;

    /// The error body {code, message} with `status`.
    static SandboxResponse error(int status, const QString &code, const QString &message);

private:
    SandboxResponse route(const SandboxRequest &request);
    SandboxResponse getContacts(const SandboxRequest &request) const;
    SandboxResponse createContact(const SandboxRequest &request);
    SandboxResponse updateContact(BrevoContact &contact, const SandboxRequest &request);
    SandboxResponse getLists(const SandboxRequest &request) const;
    SandboxResponse createList(const SandboxRequest &request);
    SandboxResponse getFolders(const SandboxRequest &request) const;
    SandboxResponse createFolder(const SandboxRequest &request);
    SandboxResponse getAttributes() const;
    SandboxResponse createAttribute(const QString &category, const QString &name,
                                    const SandboxRequest &request);
    SandboxResponse importContacts(const SandboxRequest &request);
    SandboxResponse getProcess(const QString &id);
    SandboxResponse getAccount() const;
    // brevosandboxmarketing.cpp: lists' contacts, blocklist, templates, campaigns, domains.
    SandboxResponse getList(qint64 id) const;
    SandboxResponse getListContacts(qint64 id, const SandboxRequest &request) const;
    SandboxResponse getSegments(const SandboxRequest &request) const;
    SandboxResponse getBlockedContacts(const SandboxRequest &request) const;
    SandboxResponse getTemplates(const SandboxRequest &request) const;
    SandboxResponse getTemplate(const QString &id) const;
    SandboxResponse createTemplate(const SandboxRequest &request);
    SandboxResponse getCampaigns(const SandboxRequest &request) const;
    SandboxResponse getDomains() const;
    // brevosandboxlists.cpp: adding existing contacts to a list.
    SandboxResponse addContactsToList(qint64 id, const SandboxRequest &request);
    /// Routes the paths outside /contacts the connector reads; nullopt when not one of them.
    std::optional<SandboxResponse> routeMarketing(const SandboxRequest &request,
                                                  const QStringList &parts);
    QJsonObject templateJson(const BrevoTemplate &t) const;
    /// The hourly window of non-contact endpoints; a 429 when over it and enforcing.
    std::optional<SandboxResponse> countOtherRequest(QList<QPair<QByteArray, QByteArray>> &headers);

    BrevoContact *findContact(const QString &identifier);
    const BrevoAttribute *findAttribute(const QString &name) const;
    bool hasList(qint64 id) const;
    /// Sets the attributes of a body on a contact: known attributes only, names upper-cased.
    /// Empty values clear an attribute when `emptyClears`, else they are ignored.
    void applyAttributes(BrevoContact &contact, const QJsonObject &attributes,
                         bool emptyClears) const;
    QJsonObject contactJson(const BrevoContact &contact) const;
    QJsonObject listJson(const BrevoList &list) const;
    /// Adds the rate-limit headers; returns a 429 when over the limit and enforcing.
    std::optional<SandboxResponse> countContactRequest(QList<QPair<QByteArray, QByteArray>> &headers);

    QString m_apiKey;
    QList<BrevoContact> m_contacts;
    QHash<QString, qsizetype> m_contactIndex; ///< email -> position
    QList<BrevoFolder> m_folders;
    QList<BrevoList> m_lists;
    QList<BrevoAttribute> m_attributes;
    QList<BrevoProcess> m_processes;
    qint64 m_nextContactId = 1;
    qint64 m_nextListId = 1;
    qint64 m_nextFolderId = 1;
    qint64 m_nextProcessId = 1;
    bool m_enforceRateLimit = false;
    bool m_enforceHourlyLimit = false;
    bool m_rateLimitHeaders = true;
    qint64 m_hourStartMs = 0;
    int m_hourCount = 0;
    int m_importPolls = 0;
    int m_processRequests = 0;
    QList<BrevoBlockedContact> m_blocked;
    QList<BrevoTemplate> m_templates;
    QList<BrevoCampaign> m_campaigns;
    QList<BrevoDomain> m_domains;
    QList<BrevoSegment> m_segments;
    QSet<QString> m_refusedListAdds;
    qint64 m_nextTemplateId = 1;
    qint64 m_nextCampaignId = 1;
    qint64 m_windowStartMs = 0;
    int m_windowCount = 0;
};
