#pragma once

#include "sandbox/sandboxapi.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/** A merge field definition of a Mailchimp audience (GET /lists/{id}/merge-fields). */
struct MailchimpMergeField
{
    int mergeId = 0;
    QString tag;  ///< FNAME
    QString name; ///< First Name
    QString
        type; ///< text, number, address, phone, date, url, imageurl, radio, dropdown, birthday, zip
    bool required = false;
    QString defaultValue;
    bool isPublic = true;
    int displayOrder = 0;
    QJsonObject options; ///< e.g. {"date_format": "MM/DD"}
};

/** One audience member as Mailchimp stores it. */
struct MailchimpMember
{
    QString email;
    QString status; ///< subscribed, unsubscribed, cleaned, pending, transactional, archived
    QString emailType = QStringLiteral("html");
    QJsonObject mergeFields;
    QStringList tags;
    QString ipSignup;
    QDateTime timestampSignup; ///< invalid when unknown (Mailchimp then sends "")
    QString ipOpt;
    QDateTime timestampOpt;
    QDateTime lastChanged;
    int memberRating = 2;
    QString language;
    bool vip = false;
};

Q_DECLARE_TYPEINFO(MailchimpMember, Q_RELOCATABLE_TYPE); // Qt value types only

/** A saved segment of an audience (tags are the static segments, kept in tagIds). */
struct MailchimpSegment
{
    int id = 0;
    QString name;
    QDateTime created;
    int memberCount = 0; ///< decided when seeded; the sandbox evaluates no conditions
};

/** A spam complaint about a member (GET /lists/{id}/abuse-reports). */
struct MailchimpAbuseReport
{
    int id = 0;
    QString campaignId;
    QString email;
    QDateTime date;
};

struct MailchimpTemplate
{
    int id = 0;
    QString name;
    QString type = QStringLiteral("user"); ///< user, base, gallery
    bool dragAndDrop = false;
    QDateTime created;
    QDateTime edited;
    QString html;
};

/** A campaign with the figures of its report (a report exists once it was sent). */
struct MailchimpCampaign
{
    QString id;
    int webId = 0;
    QString listId;
    QString title;
    QString subject;
    QString status; ///< save, schedule, sending, sent ...
    QDateTime created;
    QDateTime sent; ///< invalid unless sent
    int emailsSent = 0;
    int uniqueOpens = 0, opens = 0, uniqueClicks = 0, clicks = 0;
    int hardBounces = 0, softBounces = 0, unsubscribed = 0, abuseReports = 0;
};

struct MailchimpAutomation
{
    QString id;
    QString listId;
    QString title;
    QString status; ///< save, paused, sending
    QString workflowType;
    int emails = 0;
    QDateTime created;
};

struct MailchimpSite
{
    QString foreignId;
    QString domain;
    QDateTime created;
};

struct MailchimpStore
{
    QString id;
    QString listId;
    QString name;
    QString platform;
    QString domain;
    QDateTime created;
};

struct MailchimpDomain
{
    QString domain;
    bool verified = false;
    bool authenticated = false;
};

/** An audience (Mailchimp "list") with its merge fields and members, in creation order. */
struct MailchimpList
{
    QString id;
    int webId = 0;
    QString name;
    QDateTime dateCreated;
    QList<MailchimpMergeField> mergeFields;
    QList<MailchimpMember> members;
    QHash<QString, qsizetype> memberIndex; ///< subscriber hash -> position in members
    QHash<QString, int> tagIds;            ///< tag name -> id (= its static segment id)
    QList<MailchimpSegment> segments;      ///< saved segments
    QList<MailchimpAbuseReport> abuseReports;
};

/**
 * The part of the Mailchimp Marketing API v3 that Stagecoach's Mailchimp connector uses, in
 * memory: ping, audiences, merge fields, members (paged, filtered, upserted) and batch
 * subscribe. Paths, Basic authentication, status codes and the problem+json error bodies follow
 * ../shared/specs/mailchimp/openapi.yaml; serve it over HTTP with a SandboxServer.
 *
 * The API key ("<hex>-us21") decides the data center the sandbox emulates: a key of another data
 * center is refused with 401, as a request sent to the wrong host would be.
 */
class MailchimpSandbox : public SandboxApi
{
public:
    static constexpr int maxPageSize = 1000;    ///< count maximum (openapi.yaml)
    static constexpr int maxBatchMembers = 500; ///< POST /lists/{id} members maximum

    explicit MailchimpSandbox(QString apiKey);

    QString apiKey() const { return m_apiKey; }
    /// The data center after the key's dash, e.g. "us21".
    QString dataCenter() const { return m_dataCenter; }

    /// MD5 of the lower-cased address, as Mailchimp's subscriber_hash.
    static QString subscriberHash(const QString &email);
    /// Statuses a member can be written with (archived is read-only).
    static const QStringList &writableStatuses();

    /// Creates an empty audience with the default merge fields; returns its id.
    QString addList(const QString &name);
    /// One audience with the demo merge fields and no members; returns its id.
    QString seedEmpty();
    /**
     * One audience with `count` fictional members (example.com addresses) cycling through every
     * status, with FNAME/LNAME/BIRTHDAY/PHONE, tags and consent timestamps and IPs. Deterministic:
     * the same count gives the same data. Returns the audience id.
     */
    QString seedDemo(int count);

    /// Adds or replaces a member directly (no validation), for tests and seeding.
    void putMember(const QString &listId, MailchimpMember member);

    /// Adds a template (POST /templates does the same); returns its id.
    int addTemplate(const QString &name, const QString &html);

    QStringList listIds() const;
    const QList<MailchimpTemplate> &templates() const { return m_templates; }
    const QList<MailchimpCampaign> &campaigns() const { return m_campaigns; }
    const QList<MailchimpAutomation> &automations() const { return m_automations; }
    /// Adds a spam complaint about a member of the list.
    void addAbuseReport(const QString &listId, const QString &email, const QString &campaignId);
    const MailchimpList *list(const QString &listId) const;

    SandboxResponse handle(const SandboxRequest &request) override;
    SandboxResponse tooManyRequests() const override;
    SandboxResponse problem(int status, const QString &title, const QString &detail) const override;

private:
    MailchimpList *findList(const QString &listId);
    std::optional<SandboxResponse> checkAuth(const QByteArray &authorization) const;
    SandboxResponse route(const SandboxRequest &request);
    /// Everything outside /lists (mailchimpsandboxcontent.cpp); nullopt: not such a path.
    std::optional<SandboxResponse> routeAccount(const QStringList &parts,
                                                const SandboxRequest &request);
    /// /lists/{id}/... beyond members (mailchimpsandboxcontent.cpp).
    std::optional<SandboxResponse> routeListExtras(MailchimpList &list, const QStringList &parts,
                                                   const SandboxRequest &request);
    SandboxResponse createList(const SandboxRequest &request);
    SandboxResponse createMergeField(MailchimpList &list, const SandboxRequest &request);
    SandboxResponse createSegment(MailchimpList &list, const SandboxRequest &request);
    SandboxResponse addToStaticSegment(MailchimpList &list, const QString &segmentId,
                                       const SandboxRequest &request);
    QJsonObject staticSegmentJson(const MailchimpList &list, int id, const QString &name) const;
    QJsonObject campaignJson(const MailchimpCampaign &c) const;
    QJsonObject reportJson(const MailchimpCampaign &c) const;
    QJsonObject templateJson(const MailchimpTemplate &t) const;
    void seedAccount(const QString &listId, int count);
    SandboxResponse getLists(const SandboxRequest &request) const;
    SandboxResponse getMergeFields(const MailchimpList &list, const SandboxRequest &request) const;
    SandboxResponse getMembers(const MailchimpList &list, const SandboxRequest &request) const;
    SandboxResponse upsertMember(MailchimpList &list, const QString &hash,
                                 const SandboxRequest &request);
    SandboxResponse batchSubscribe(MailchimpList &list, const SandboxRequest &request);
    /// Applies the writable member fields of a request body; returns an error message or {}.
    QString applyFields(MailchimpList &list, MailchimpMember &member,
                        const QJsonObject &body) const;
    QJsonObject memberJson(const MailchimpList &list, const MailchimpMember &member) const;
    /// Appends QJsonDocument(memberJson(list, member)).toJson(Compact), written directly (batch
    /// answers hold up to 500 members); `hash` is subscriberHash(member.email).
    void appendMemberDocument(QByteArray &out, const MailchimpList &list,
                              const MailchimpMember &member, const QString &hash) const;
    /// putMember() on a list already found, with subscriberHash(member.email) known.
    static void storeMember(MailchimpList &list, MailchimpMember &&member, const QString &hash);
    QJsonObject listJson(const MailchimpList &list) const;

    QString m_apiKey;
    QString m_dataCenter;
    QList<MailchimpList> m_lists;
    QList<MailchimpTemplate> m_templates;
    QList<MailchimpCampaign> m_campaigns;
    QList<MailchimpAutomation> m_automations;
    QList<MailchimpDomain> m_domains;
    QList<MailchimpSite> m_sites;
    QList<MailchimpStore> m_stores;
    int m_nextMergeId = 1000;
};
