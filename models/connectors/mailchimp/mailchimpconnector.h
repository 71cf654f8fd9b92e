#pragma once

#include "connectors/connector.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMutex>
#include <QSet>
#include <QUrlQuery>

#include <deque>
#include <functional>
#include <optional>

class HttpClient;

/**
 * Mailchimp Marketing API v3 as a migration source and target (esp-apis.md §1; paths and
 * parameters from specs/mailchimp/openapi.yaml). Requests go to https://<dc>.api.mailchimp.com/3.0
 * with the data center from the key's "-dc" suffix (ConnectionSettings::baseUrl overrides it),
 * with HTTP Basic and the key as password. Listings page with count/offset up to 1000; contacts
 * are written with the batch subscribe POST /lists/{id} (up to 500 members).
 *
 * The connector must outlive the futures it hands out; they are answered on the HttpClient's
 * thread.
 */
class MailchimpConnector : public SourceConnector, public TargetConnector
{
    Q_DECLARE_TR_FUNCTIONS(MailchimpConnector)

public:
    static constexpr int maxPageSize = 1000;  ///< count maximum
    static constexpr int maxBatchMembers = 500; ///< POST /lists/{id} members maximum

    MailchimpConnector(ConnectionSettings settings, HttpClient &client);

    /// The data center of a key ("us21" of "<hex>-us21"); empty when the key has no suffix.
    static QString dataCenterOf(const QString &apiKey);
    /// The API root the connector talks to, or an Error when the key cannot say which.
    Result<QUrl> apiRoot() const;

    TargetPlatform platform() const override { return TargetPlatform::Mailchimp; }
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
    int maxBatchSize() const override { return maxBatchMembers; }
    /// Mailchimp allows 10 connections per key (the rate limiter keeps to them); the batches'
    /// tagging, which creates the segments it meets first, takes turns (segmentIdsInTurn).
    int maxBatchesInFlight() const override { return 10; }
    QFuture<Result<EnsuredItem>> ensureList(const QString &name) override;
    QFuture<Result<QList<EnsuredItem>>> ensureFields(const QString &listId,
                                                     const QList<FieldSpec> &fields) override;
    QFuture<Result<BatchResult>> writeSuppressions(const QString &listId,
                                                   const QList<TargetContact> &contacts) override;
    QFuture<Result<BatchResult>> upsertContacts(const QString &listId,
                                                const QList<TargetContact> &contacts) override;
    QFuture<Result<EnsuredItem>> writeTemplate(const TemplateContent &content) override;
    QFuture<Result<TargetContactPage>> readContacts(const QString &listId,
                                                    const ContactQuery &query) override;
    QFuture<Result<QHash<ContactStatus, qint64>>> countsByStatus(const QString &listId) override;

private:
    /// One request; the answer's JSON object (JsonReply: a body cut off is asked for again when
    /// the request is idempotent).
    QFuture<Result<QJsonObject>> call(const QByteArray &method, const QString &path,
                                      const QUrlQuery &query = {}, const QJsonObject &body = {},
                                      bool idempotent = true, int priority = 0);
    /// Every item of a count/offset listing (`itemsKey`: "lists", "members" ...).
    QFuture<Result<QJsonArray>> collect(const QString &path, const QUrlQuery &query,
                                        const QString &itemsKey);
    /// Emails of the audience's abuse reports (lower case), read once per audience.
    QFuture<Result<QSet<QString>>> complainedEmails(const QString &listId);
    QFuture<Result<BatchResult>> writeBatch(const QString &listId,
                                            const QList<TargetContact> &contacts,
                                            bool suppressionWave);

    /**
     * Tags members (tag -> addresses) through the audience's static segments, creating the
     * segments that are missing: the batch subscribe body has no tags. `segmentIds` is
     * segmentIdsInTurn() for (at least) the tags' names. Answers the addresses Mailchimp did not
     * tag, with its words.
     */
    QFuture<Result<QHash<QString, QString>>> tagMembers(
        const QString &listId, const QHash<QString, QStringList> &tags,
        QFuture<Result<QHash<QString, qint64>>> segmentIds);
    /// The static segments' ids by name, creating those that are missing (and remembering them:
    /// a segment deleted on Mailchimp during the run fails the batch that tags into it).
    QFuture<Result<QHash<QString, qint64>>> segmentIds(const QString &listId, const QStringList &names);
    /// segmentIds() once those of the batches before have finished: two batches that met a new
    /// tag together would otherwise each create a segment of that name.
    QFuture<Result<QHash<QString, qint64>>> segmentIdsInTurn(const QString &listId,
                                                             const QStringList &names);
    /// The ids of `names` when all of them are known already (no request needed).
    std::optional<QHash<QString, qint64>> knownSegmentIds(const QString &listId,
                                                          const QStringList &names);

    ConnectionSettings m_settings;
    HttpClient &m_client;
    QMutex m_mutex;
    bool m_tagging = false; ///< a segmentIdsInTurn() is running
    QHash<QString, QHash<QString, qint64>> m_segmentIds; ///< list id -> tag -> static segment id
    std::deque<std::function<void()>> m_taggingQueue; ///< the ones waiting for their turn
    QHash<QString, QSet<QString>> m_complained; ///< list id -> abuse-reported emails
    QHash<QString, QHash<QString, FieldType>> m_fieldTypes; ///< list id -> tag -> type
};
