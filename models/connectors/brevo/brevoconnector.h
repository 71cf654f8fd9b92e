#pragma once

#include "connectors/connector.h"
#include "connectors/transport/httpmessage.h"

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QUrlQuery>

#include <memory>
#include <optional>

/**
 * Brevo (API v3, esp-apis.md §2) as a migration source and target.
 *
 * Requests carry the `api-key` header and go through the shared HttpClient: /contacts/... in the
 * "contacts" rate class (10/s), /smtp/templates in "smtp" (300/h), /smtp/blockedContacts in
 * "smtpBlockedContacts", everything else in the default class (100/h), so reads of non-contact
 * endpoints are few and cached, and import processes are polled with a growing interval.
 *
 * Contacts are written with POST /contacts/import (jsonBody), never with emailBlacklisted=false
 * and never through the double opt-in endpoint. Brevo's process answer tells nothing about
 * rejected rows, so every import is verified by reading the contacts back: each contact handed
 * in is written or named in BatchResult::failed. Tags become lists (see upsertContacts()).
 */
class BrevoConnector : public SourceConnector, public TargetConnector
{
    Q_DECLARE_TR_FUNCTIONS(BrevoConnector)

public:
    /// The most contacts one import carries. 5,000 rows of a few hundred bytes each stay far
    /// below the 8 MB the document recommends for jsonBody (a batch is split further when its
    /// body would not), and one failed batch then costs little to send again; the process
    /// polls (100 requests an hour) stay few.
    static constexpr int kMaxBatch = 5000;
    /// jsonBody limit the document recommends (requestContactImport: "safe limit of around
    /// 8 MB"); the connector keeps a margin for the rest of the body.
    static constexpr qsizetype kMaxImportBytes = qsizetype(8) * 1000 * 1000;

    /// "<list name> — do not mail": the holding list for contacts without marketing consent.
    static QString holdingListName(const QString &listName);
    /// The folder the migration's lists are created in.
    static QString folderName();

    BrevoConnector(const ConnectionSettings &settings, HttpClient &client);
    ~BrevoConnector() override;

    /// How long to wait before the first GET /processes/{id} and at most between two (the
    /// interval doubles); and how long to poll before giving up. Defaults 2 s, 60 s, 30 min.
    void setPolling(int firstMs, int maxMs, int giveUpMs);
    /// Per-attempt timeout of every request; 0: the client's default.
    void setRequestTimeout(int ms);

    TargetPlatform platform() const override { return TargetPlatform::Brevo; }
    QFuture<Result<AccountInfo>> testConnection() override;

    // SourceConnector
    Features features() const override;
    QFuture<Result<QList<Audience>>> audiences() override;
    QFuture<Result<QList<FieldDefinition>>> fields(const QString &audienceId) override;
    QFuture<Result<ContactPage>> contacts(const QString &audienceId,
                                          const ContactQuery &query) override;
    QFuture<Result<QList<TagInfo>>> tags(const QString &audienceId) override;
    QFuture<Result<QList<SegmentInfo>>> segments(const QString &audienceId) override;
    QFuture<Result<QList<TemplateInfo>>> templates() override;
    QFuture<Result<TemplateInfo>> templateContent(const QString &templateId) override;
    QFuture<Result<QList<CampaignInfo>>> campaigns(const QDateTime &since) override;
    QFuture<Result<QList<AutomationInfo>>> automations() override;
    QFuture<Result<QList<SendingDomainInfo>>> sendingDomains() override;
    QFuture<Result<QList<IntegrationInfo>>> integrations() override;

    // TargetConnector
    int maxBatchSize() const override { return kMaxBatch; }
    QFuture<Result<EnsuredItem>> ensureList(const QString &name) override;
    QFuture<Result<QList<EnsuredItem>>> ensureFields(const QString &listId,
                                                     const QList<FieldSpec> &fields) override;
    /**
     * Blocklists the contacts on the holding list. Their tags are not written: a tag list is a
     * list a campaign can be sent to, and a suppressed person must never be on one. Nothing is
     * lost by it: the tags of suppressed contacts are kept in the backup.
     */
    QFuture<Result<BatchResult>> writeSuppressions(const QString &listId,
                                                   const QList<TargetContact> &contacts) override;
    /**
     * Imports the contacts into the marketing list or its holding list (as their ContactWrite
     * says), verifies them by reading back, then puts each contact the import wrote into one
     * list per tag (Brevo contacts have no tags), in the migration's folder, found by name or
     * created: "Tag: <tag>" (tag trimmed) for marketing-list contacts and
     * "Tag: <tag> — do not mail" for holding-list contacts, so a tag list never makes a
     * contact without marketing consent mailable. Contacts already on a tag list are not sent
     * again. A contact Brevo would not add to a tag list was written all the same, but is
     * counted in failed (code "tag_not_written", the message names the tags), not in written,
     * so that no tag is lost silently.
     */
    QFuture<Result<BatchResult>> upsertContacts(const QString &listId,
                                                const QList<TargetContact> &contacts) override;
    QFuture<Result<EnsuredItem>> writeTemplate(const TemplateContent &content) override;
    QFuture<Result<TargetContactPage>> readContacts(const QString &listId,
                                                    const ContactQuery &query) override;
    QFuture<Result<QHash<ContactStatus, qint64>>> countsByStatus(const QString &listId) override;

    /// State shared with the continuations that outlive a call (they run on the network thread).
    struct Shared;

private:
    std::shared_ptr<Shared> m_shared;
};

/** What the connector's calls share; continuations hold it, so it outlives the connector. */
struct BrevoConnector::Shared : std::enable_shared_from_this<BrevoConnector::Shared>
{
    HttpClient *client = nullptr;
    QUrl baseUrl;
    QByteArray apiKey;
    int timeoutMs = 0;
    int firstPollMs = 2000;
    int maxPollMs = 60000;
    int giveUpPollMs = 30 * 60 * 1000;

    QMutex mutex; // guards what follows
    /// GET /smtp/blockedContacts, read once: email -> reason code.
    std::optional<QHash<QString, QString>> blocked;
    /// Marketing list id -> holding list id, learnt by ensureList.
    QHash<qint64, qint64> holding;
    /// The account's attribute names, upper case, once read (ensureFields adds what it creates).
    std::optional<QSet<QString>> attributes;
    /// Tag list name ("Tag: x", "Tag: x — do not mail") -> id, learnt by upsertContacts.
    QHash<QString, qint64> tagLists;
    /// Template name -> id (GET /smtp/templates), once read; writeTemplate adds what it creates.
    std::optional<QHash<QString, qint64>> templates;

    /// A request to Brevo: path below the API root ("/contacts"), query, JSON body.
    HttpRequest request(const QByteArray &method, const QString &path, const QUrlQuery &query = {},
                        const QByteArray &body = {}) const;
    /// Sends and parses the JSON answer (JsonReply).
    QFuture<Result<QJsonObject>> json(const HttpRequest &request) const;
    /// Every item of an offset/limit listing: `key` is the array in each page.
    QFuture<Result<QJsonArray>> collect(const QString &path, const QUrlQuery &query,
                                        const QString &key, int limit) const;
};
