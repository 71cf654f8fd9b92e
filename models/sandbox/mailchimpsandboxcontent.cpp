// MailchimpSandbox: the account root, templates, campaigns and reports, automations, domains,
// sites and stores; and the demo account that seedDemo() adds around its audience.
#include "sandbox/mailchimpsandbox.h"

#include "sandbox/mailchimpsandbox_p.h"

#include <QCryptographicHash>
#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace MailchimpSandboxDetail;

namespace {

SandboxResponse json(const QJsonObject &body)
{
    return SandboxResponse::fromJson(body);
}

QString hexId(const QString &seed, int length)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Md5).toHex().left(length));
}

/// A since_/before_ filter value; `ok` false when present but not a time.
QDateTime timeParameter(const QUrlQuery &query, const QString &name, bool *ok)
{
    *ok = true;
    if (!query.hasQueryItem(name))
        return {};
    const QDateTime t
        = QDateTime::fromString(query.queryItemValue(name, QUrl::FullyDecoded), Qt::ISODate);
    *ok = t.isValid();
    return t;
}

} // namespace

std::optional<SandboxResponse> MailchimpSandbox::routeAccount(const QStringList &parts,
                                                              const SandboxRequest &request)
{
    const bool get = request.method == "GET";
    const SandboxResponse notAllowed
        = problem(405, u"Method Not Allowed"_s,
                  u"The requested method and resource are not compatible."_s);
    const Window window(request.query);
    if (!window.error.isEmpty())
        return problem(400, u"Invalid Resource"_s, window.error);
    const auto listing = [&window](const QString &key, const QJsonArray &all) {
        return json({{key, window.of(all)}, {u"total_items"_s, int(all.size())}});
    };

    if (parts.isEmpty()) {
        if (!get)
            return notAllowed;
        // The account the key belongs to; the sandbox decides a fictional one.
        return json({{u"account_id"_s, hexId(m_apiKey, 25)},
                     {u"login_id"_s, u"100001"_s},
                     {u"account_name"_s, u"Northwind Outdoor Co."_s},
                     {u"email"_s, u"owner@example.com"_s},
                     {u"first_name"_s, u"Ada"_s},
                     {u"last_name"_s, u"Example"_s},
                     {u"username"_s, u"examplebakery"_s},
                     {u"role"_s, u"owner"_s},
                     {u"member_since"_s, time(QDateTime(QDate(2018, 5, 2), QTime(10, 0), Qt::UTC))},
                     {u"pricing_plan_type"_s, u"monthly"_s},
                     {u"account_timezone"_s, u"Europe/London"_s},
                     {u"contact"_s, QJsonObject{{u"company"_s, u"Northwind Outdoor Co."_s},
                                                {u"addr1"_s, u"1 Example Street"_s},
                                                {u"addr2"_s, QString()},
                                                {u"city"_s, u"London"_s},
                                                {u"state"_s, QString()},
                                                {u"zip"_s, u"EC1A 1AA"_s},
                                                {u"country"_s, u"GB"_s}}},
                     {u"pro_enabled"_s, false},
                     {u"total_subscribers"_s, 0}});
    }
    const QString head = parts.first();
    if (head == u"templates") {
        if (parts.size() == 1) {
            if (request.method == "POST") {
                const QJsonObject body = QJsonDocument::fromJson(request.body).object();
                const QString name = body.value(u"name"_s).toString().trimmed();
                if (name.isEmpty() || !body.value(u"html"_s).isString())
                    return problem(400, u"Invalid Resource"_s, u"name and html are required."_s);
                addTemplate(name, body.value(u"html"_s).toString());
                return json(templateJson(m_templates.constLast()));
            }
            if (!get)
                return notAllowed;
            const QString type = request.query.queryItemValue(u"type"_s);
            QJsonArray all;
            for (const MailchimpTemplate &t : std::as_const(m_templates)) {
                if (type.isEmpty() || t.type == type)
                    all.append(templateJson(t));
            }
            return listing(u"templates"_s, all);
        }
        const auto it = std::find_if(m_templates.cbegin(), m_templates.cend(),
                                     [&parts](const MailchimpTemplate &t) {
                                         return QString::number(t.id) == parts.at(1);
                                     });
        if (it == m_templates.cend() || parts.size() > 3
            || (parts.size() == 3 && parts.at(2) != u"default-content"))
            return std::nullopt;
        if (!get)
            return notAllowed;
        if (parts.size() == 2)
            return json(templateJson(*it));
        return json({{u"sections"_s, QJsonObject{{u"html"_s, it->html}}}});
    }
    if (!get)
        return parts.size() == 1 ? std::optional(notAllowed) : std::nullopt;
    if (parts.size() == 1 && head == u"campaigns") {
        bool okSend = true, okCreate = true;
        const QDateTime sinceSend = timeParameter(request.query, u"since_send_time"_s, &okSend);
        const QDateTime sinceCreate
            = timeParameter(request.query, u"since_create_time"_s, &okCreate);
        if (!okSend || !okCreate)
            return problem(400, u"Invalid Resource"_s,
                           u"since_send_time and since_create_time must be ISO 8601 times."_s);
        QJsonArray all;
        for (const MailchimpCampaign &c : std::as_const(m_campaigns)) {
            // "Restrict the response to campaigns sent/created after the set time".
            if (sinceSend.isValid() && !(c.sent.isValid() && c.sent > sinceSend))
                continue;
            if (sinceCreate.isValid() && !(c.created > sinceCreate))
                continue;
            all.append(campaignJson(c));
        }
        return listing(u"campaigns"_s, all);
    }
    if (head == u"reports" && parts.size() <= 2) {
        bool ok = true;
        const QDateTime since = timeParameter(request.query, u"since_send_time"_s, &ok);
        if (!ok)
            return problem(400, u"Invalid Resource"_s, u"since_send_time must be an ISO 8601 time."_s);
        QJsonArray all;
        for (const MailchimpCampaign &c : std::as_const(m_campaigns)) {
            if (!c.sent.isValid() || (since.isValid() && !(c.sent > since)))
                continue;
            if (parts.size() == 2 && c.id == parts.at(1))
                return json(reportJson(c));
            all.append(reportJson(c));
        }
        if (parts.size() == 2)
            return std::nullopt;
        return listing(u"reports"_s, all);
    }
    if (parts.size() != 1 && !(parts.size() == 2 && head == u"ecommerce"))
        return std::nullopt;
    if (head == u"automations") {
        QJsonArray all;
        for (const MailchimpAutomation &a : std::as_const(m_automations)) {
            const MailchimpList *l = list(a.listId);
            all.append(QJsonObject{
                {u"id"_s, a.id},
                {u"create_time"_s, time(a.created)},
                {u"start_time"_s, time(a.status == u"save" ? QDateTime() : a.created.addDays(1))},
                {u"status"_s, a.status},
                {u"emails_sent"_s, a.status == u"save" ? 0 : 40 * a.emails},
                {u"recipients"_s, QJsonObject{{u"list_id"_s, a.listId},
                                              {u"list_is_active"_s, true},
                                              {u"list_name"_s, l ? l->name : QString()}}},
                {u"settings"_s, QJsonObject{{u"title"_s, a.title},
                                            {u"from_name"_s, u"Northwind Outdoor"_s},
                                            {u"reply_to"_s, u"hello@example.com"_s}}},
                {u"trigger_settings"_s, QJsonObject{{u"workflow_type"_s, a.workflowType},
                                                    {u"workflow_title"_s, a.title},
                                                    {u"workflow_emails_count"_s, a.emails}}}});
        }
        return listing(u"automations"_s, all);
    }
    if (head == u"verified-domains") {
        // The document gives this listing no count/offset: every domain in one answer.
        QJsonArray all;
        for (const MailchimpDomain &d : std::as_const(m_domains))
            all.append(QJsonObject{{u"domain"_s, d.domain},
                                   {u"verified"_s, d.verified},
                                   {u"authenticated"_s, d.authenticated},
                                   {u"verification_email"_s, u"owner@"_s + d.domain}});
        return json({{u"domains"_s, all}, {u"total_items"_s, int(all.size())}});
    }
    if (head == u"connected-sites") {
        QJsonArray all;
        for (const MailchimpSite &s : std::as_const(m_sites))
            all.append(QJsonObject{{u"foreign_id"_s, s.foreignId},
                                   {u"store_id"_s, QString()},
                                   {u"platform"_s, QString()},
                                   {u"domain"_s, s.domain},
                                   {u"created_at"_s, time(s.created)},
                                   {u"updated_at"_s, time(s.created)}});
        return listing(u"sites"_s, all);
    }
    if (head == u"ecommerce" && parts.at(1) == u"stores") {
        QJsonArray all;
        for (const MailchimpStore &s : std::as_const(m_stores))
            all.append(QJsonObject{{u"id"_s, s.id},
                                   {u"list_id"_s, s.listId},
                                   {u"name"_s, s.name},
                                   {u"platform"_s, s.platform},
                                   {u"domain"_s, s.domain},
                                   {u"is_syncing"_s, false},
                                   {u"currency_code"_s, u"GBP"_s},
                                   {u"list_is_active"_s, true},
                                   {u"created_at"_s, time(s.created)},
                                   {u"updated_at"_s, time(s.created)}});
        return listing(u"stores"_s, all);
    }
    return std::nullopt;
}

int MailchimpSandbox::addTemplate(const QString &name, const QString &html)
{
    MailchimpTemplate t;
    t.id = 10000 + int(m_templates.size()) + 1;
    t.name = name;
    t.html = html;
    t.created = QDateTime(QDate(2022, 2, 1), QTime(12, 0), Qt::UTC).addDays(m_templates.size());
    t.edited = t.created.addDays(3);
    m_templates.append(t);
    return t.id;
}

QJsonObject MailchimpSandbox::templateJson(const MailchimpTemplate &t) const
{
    return {{u"id"_s, t.id},
            {u"type"_s, t.type},
            {u"name"_s, t.name},
            {u"drag_and_drop"_s, t.dragAndDrop},
            {u"responsive"_s, true},
            {u"category"_s, QString()},
            {u"date_created"_s, time(t.created)},
            {u"date_edited"_s, time(t.edited)},
            {u"created_by"_s, u"Ada Example"_s},
            {u"edited_by"_s, u"Ada Example"_s},
            {u"active"_s, true},
            {u"folder_id"_s, QString()},
            {u"thumbnail"_s, QString()},
            {u"share_url"_s, QString()},
            {u"content_type"_s, t.dragAndDrop ? u"template"_s : u"html"_s}};
}

QJsonObject MailchimpSandbox::campaignJson(const MailchimpCampaign &c) const
{
    const MailchimpList *l = list(c.listId);
    QJsonObject out{{u"id"_s, c.id},
                    {u"web_id"_s, c.webId},
                    {u"type"_s, u"regular"_s},
                    {u"create_time"_s, time(c.created)},
                    {u"status"_s, c.status},
                    {u"emails_sent"_s, c.emailsSent},
                    {u"send_time"_s, time(c.sent)},
                    {u"content_type"_s, u"template"_s},
                    {u"recipients"_s, QJsonObject{{u"list_id"_s, c.listId},
                                                  {u"list_is_active"_s, true},
                                                  {u"list_name"_s, l ? l->name : QString()},
                                                  {u"recipient_count"_s, c.emailsSent}}},
                    {u"settings"_s, QJsonObject{{u"subject_line"_s, c.subject},
                                                {u"title"_s, c.title},
                                                {u"from_name"_s, u"Northwind Outdoor"_s},
                                                {u"reply_to"_s, u"hello@example.com"_s}}}};
    if (c.sent.isValid())
        out.insert(u"report_summary"_s,
                   QJsonObject{{u"opens"_s, c.opens},
                               {u"unique_opens"_s, c.uniqueOpens},
                               {u"open_rate"_s, c.emailsSent ? double(c.uniqueOpens) / c.emailsSent : 0.0},
                               {u"clicks"_s, c.clicks},
                               {u"subscriber_clicks"_s, c.uniqueClicks},
                               {u"click_rate"_s, c.emailsSent ? double(c.uniqueClicks) / c.emailsSent : 0.0}});
    return out;
}

QJsonObject MailchimpSandbox::reportJson(const MailchimpCampaign &c) const
{
    const MailchimpList *l = list(c.listId);
    const double sent = std::max(1, c.emailsSent);
    return {{u"id"_s, c.id},
            {u"campaign_title"_s, c.title},
            {u"type"_s, u"regular"_s},
            {u"list_id"_s, c.listId},
            {u"list_is_active"_s, true},
            {u"list_name"_s, l ? l->name : QString()},
            {u"subject_line"_s, c.subject},
            {u"emails_sent"_s, c.emailsSent},
            {u"abuse_reports"_s, c.abuseReports},
            {u"unsubscribed"_s, c.unsubscribed},
            {u"send_time"_s, time(c.sent)},
            {u"bounces"_s, QJsonObject{{u"hard_bounces"_s, c.hardBounces},
                                       {u"soft_bounces"_s, c.softBounces},
                                       {u"syntax_errors"_s, 0}}},
            {u"opens"_s, QJsonObject{{u"opens_total"_s, c.opens},
                                     {u"unique_opens"_s, c.uniqueOpens},
                                     {u"open_rate"_s, c.uniqueOpens / sent},
                                     {u"last_open"_s, time(c.sent.addDays(5))}}},
            {u"clicks"_s, QJsonObject{{u"clicks_total"_s, c.clicks},
                                      {u"unique_clicks"_s, c.uniqueClicks},
                                      {u"unique_subscriber_clicks"_s, c.uniqueClicks},
                                      {u"click_rate"_s, c.uniqueClicks / sent},
                                      {u"last_click"_s, time(c.sent.addDays(4))}}}};
}

void MailchimpSandbox::seedAccount(const QString &listId, int count)
{
    MailchimpList *l = findList(listId);
    if (!l)
        return;
    // Campaign dates are relative to today (UTC midnight), so "sent in the last 12 months" stays
    // true; everything else is fixed. The same count on the same day gives the same data.
    const QDateTime today(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), Qt::UTC);
    l->segments = {{5001, u"Engaged readers"_s, QDateTime(QDate(2022, 3, 1), QTime(8, 0), Qt::UTC),
                    count / 2},
                   {5002, u"Lapsed customers"_s, QDateTime(QDate(2022, 9, 1), QTime(8, 0), Qt::UTC),
                    count / 5}};
    addTemplate(u"Monthly newsletter"_s,
                u"<html><body><h1>Hello *|FNAME|*</h1><p>News.</p>"
                "<a href=\"*|UNSUB|*\">Unsubscribe</a></body></html>"_s);
    addTemplate(u"Order confirmation"_s,
                u"<html><body><p>Thank you, *|FNAME|*.</p></body></html>"_s);
    m_templates.last().dragAndDrop = true;
    addTemplate(u"Base: simple"_s, u"<html><body>*|MC:SUBJECT|*</body></html>"_s);
    m_templates.last().type = u"base"_s;

    // Five sent in the last 12 months (every 60 days), two older, one draft.
    for (int i = 0; i < 8; ++i) {
        MailchimpCampaign c;
        c.id = hexId(u"campaign-%1"_s.arg(i), 10);
        c.webId = 200001 + i;
        c.listId = listId;
        c.title = i == 7 ? u"Spring sale (draft)"_s : u"Newsletter %1"_s.arg(i + 1);
        c.subject = i == 7 ? u"Spring is here"_s : u"Our news, issue %1"_s.arg(i + 1);
        const int daysAgo = i < 5 ? 20 + 60 * i : 400 + 100 * i;
        c.created = today.addDays(-daysAgo - 2).addSecs(9 * 3600);
        if (i == 7) {
            c.status = u"save"_s;
            c.created = today.addDays(-3).addSecs(9 * 3600);
        } else {
            c.status = u"sent"_s;
            c.sent = today.addDays(-daysAgo).addSecs(10 * 3600);
            c.emailsSent = std::max(1, count / 2) + 10 * i;
            c.uniqueOpens = c.emailsSent * 2 / 5;
            c.opens = c.uniqueOpens * 2;
            c.uniqueClicks = c.emailsSent / 10;
            c.clicks = c.uniqueClicks + i;
            c.hardBounces = i % 3;
            c.softBounces = i % 2 + 1;
            c.unsubscribed = i + 1;
            c.abuseReports = i % 4 == 0 ? 1 : 0;
        }
        m_campaigns.append(c);
    }
    m_automations = {{hexId(u"automation-1"_s, 10), listId, u"Welcome series"_s, u"sending"_s,
                      u"welcomeSeries"_s, 3, QDateTime(QDate(2021, 2, 1), QTime(9, 0), Qt::UTC)},
                     {hexId(u"automation-2"_s, 10), listId, u"Birthday treat"_s, u"paused"_s,
                      u"dateAdded"_s, 1, QDateTime(QDate(2022, 4, 1), QTime(9, 0), Qt::UTC)}};
    m_domains = {{u"example.com"_s, true, true}, {u"example.org"_s, true, false}};
    m_sites = {{u"site-example"_s, u"shop.example.com"_s,
                QDateTime(QDate(2022, 1, 10), QTime(9, 0), Qt::UTC)}};
    m_stores = {{u"store-example"_s, listId, u"Northwind Outdoor Shop"_s, u"Shopify"_s,
                 u"shop.example.com"_s, QDateTime(QDate(2022, 1, 10), QTime(9, 0), Qt::UTC)}};

    // Some unsubscribed members reported the newest campaign as spam.
    int reported = 0;
    for (const MailchimpMember &m : std::as_const(l->members)) {
        if (m.status == u"unsubscribed" && reported++ % 2 == 0)
            addAbuseReport(listId, m.email, m_campaigns.first().id);
    }
}
