// MailchimpConnector as a target: templates, and reading the audience back for verification.
#include "connectors/mailchimp/mailchimpconnector.h"

#include "connectors/mailchimp/mailchimpconnector_p.h"
#include "connectors/mailchimp/mailchimpjson.h"

using namespace Qt::StringLiterals;
using namespace MailchimpAsync;

QFuture<Result<EnsuredItem>> MailchimpConnector::writeTemplate(const TemplateContent &content)
{
    const QString wanted = content.name.trimmed();
    QUrlQuery userOnly;
    userOnly.addQueryItem(u"type"_s, u"user"_s);
    return chain(collect(u"/templates"_s, userOnly, u"templates"_s),
                 [this, wanted, content](QJsonArray &templates) {
                     for (const QJsonValue &t : templates) {
                         const QJsonObject o = t.toObject();
                         if (o.value(u"name"_s).toString().trimmed() == wanted)
                             return Connectors::ready<EnsuredItem>(EnsuredItem{
                                 QString::number(qint64(o.value(u"id"_s).toDouble())),
                                 o.value(u"name"_s).toString()});
                     }
                     return map(call("POST", u"/templates"_s, {},
                                     QJsonObject{{u"name"_s, wanted}, {u"html"_s, content.html}},
                                     false),
                                [](QJsonObject &t) -> Result<EnsuredItem> {
                                    return EnsuredItem{
                                        QString::number(qint64(t.value(u"id"_s).toDouble())),
                                        t.value(u"name"_s).toString(), true};
                                });
                 });
}

QFuture<Result<TargetContactPage>> MailchimpConnector::readContacts(const QString &listId,
                                                                    const ContactQuery &query)
{
    bool ok = true;
    const int offset = query.cursor.isEmpty() ? 0 : query.cursor.toInt(&ok);
    if (!ok || offset < 0)
        return Connectors::ready<TargetContactPage>(
            Error(tr("The position \"%1\" in the Mailchimp member listing is not valid.")
                      .arg(query.cursor)));
    QUrlQuery q;
    q.addQueryItem(u"count"_s,
                   QString::number(query.pageSize > 0 ? std::min(query.pageSize, int(maxPageSize))
                                                      : int(maxPageSize)));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    if (query.changedSince.isValid())
        q.addQueryItem(u"since_last_changed"_s,
                       QString::fromLatin1(QUrl::toPercentEncoding(
                           MailchimpJson::timeText(query.changedSince))));
    return map(call("GET", u"/lists/%1/members"_s.arg(listId), q),
               [offset](QJsonObject &page) -> Result<TargetContactPage> {
                   TargetContactPage out;
                   const QJsonArray members = page.value(u"members"_s).toArray();
                   for (const QJsonValue &m : members)
                       out.contacts.append(MailchimpJson::record(m.toObject()));
                   out.total = qint64(page.value(u"total_items"_s).toDouble(-1));
                   if (!members.isEmpty() && offset + members.size() < out.total)
                       out.next = QString::number(offset + members.size());
                   return out;
               });
}

QFuture<Result<QHash<ContactStatus, qint64>>> MailchimpConnector::countsByStatus(
    const QString &listId)
{
    // Subscribed, cleaned, pending and archived count as Mailchimp counts them (count=1 and
    // total_items). Unsubscribed and transactional members are read: the SRCSTATUS field tells
    // a complaint from an unsubscribe and pending from transactional (statusOnTarget).
    const QString path = u"/lists/%1/members"_s.arg(listId);
    auto counts = std::make_shared<QHash<ContactStatus, qint64>>();
    const QStringList totals{u"subscribed"_s, u"cleaned"_s, u"pending"_s, u"archived"_s};
    const QStringList readBack{u"unsubscribed"_s, u"transactional"_s};
    auto step = std::make_shared<std::function<QFuture<Result<QHash<ContactStatus, qint64>>>(int)>>();
    *step = [this, path, counts, totals, readBack, weak = std::weak_ptr(step)](
                int i) -> QFuture<Result<QHash<ContactStatus, qint64>>> {
        const auto self = weak.lock();
        if (!self || i >= totals.size() + readBack.size())
            return Connectors::ready<QHash<ContactStatus, qint64>>(*counts);
        QUrlQuery q;
        if (i < totals.size()) {
            const QString word = totals.at(i);
            q.addQueryItem(u"status"_s, word);
            q.addQueryItem(u"count"_s, u"1"_s);
            return chain(call("GET", path, q), [counts, self, i, word](QJsonObject &page) {
                const qint64 n = qint64(page.value(u"total_items"_s).toDouble());
                if (n > 0)
                    (*counts)[MailchimpJson::status(word)] += n;
                return (*self)(i + 1);
            });
        }
        q.addQueryItem(u"status"_s, readBack.at(i - totals.size()));
        return chain(collect(path, q, u"members"_s), [counts, self, i](QJsonArray &members) {
            for (const QJsonValue &m : members)
                ++(*counts)[ConsentMapping::statusOnTarget(
                    MailchimpJson::record(m.toObject()).state)];
            return (*self)(i + 1);
        });
    };
    return (*step)(0).then([step](Result<QHash<ContactStatus, qint64>> r) { return r; });
}
