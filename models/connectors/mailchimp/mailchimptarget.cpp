// MailchimpConnector as a target: the audience, merge fields, batch subscribe and tags.
#include "connectors/mailchimp/mailchimpconnector.h"

#include "connectors/mailchimp/mailchimpconnector_p.h"
#include "connectors/mailchimp/mailchimpjson.h"

#include <QMutexLocker>
#include <QPromise>

using namespace Qt::StringLiterals;
using namespace MailchimpAsync;

namespace {

/// The priority of a member write (HttpRequest::priority): its answer leads to tag additions.
constexpr int kLeadsToTagging = 1;

QString normalized(const QString &email)
{
    return email.trimmed().toLower();
}

/// What one POST /lists/{id} said about each address.
struct BatchAnswer
{
    QSet<QString> done; ///< created or updated (Mailchimp lists unchanged members as updated)
    QHash<QString, std::pair<QString, QString>> errors; ///< address -> (error_code, error)
};

BatchAnswer readAnswer(const QJsonObject &answer)
{
    BatchAnswer out;
    for (const QString &key : {u"new_members"_s, u"updated_members"_s}) {
        for (const QJsonValue &m : answer.value(key).toArray())
            out.done.insert(normalized(m.toObject().value(u"email_address"_s).toString()));
    }
    for (const QJsonValue &e : answer.value(u"errors"_s).toArray()) {
        const QJsonObject o = e.toObject();
        QString message = o.value(u"error"_s).toString();
        if (const QString field = o.value(u"field"_s).toString(); !field.isEmpty())
            message += u" (%1: %2)"_s.arg(field, o.value(u"field_message"_s).toString());
        out.errors.insert(normalized(o.value(u"email_address"_s).toString()),
                          {o.value(u"error_code"_s).toString(), message});
    }
    return out;
}

struct BatchState
{
    QString path;
    QList<QList<TargetContact>> chunks; ///< each sent as one request
    QList<bool> updateExisting;         ///< per chunk
    int index = 0;
    BatchResult result;
    QList<TargetContact> written; ///< counted in result.written
    /// The segments of the batch's tags, looked up while the members are written.
    std::optional<QFuture<Result<QHash<QString, qint64>>>> segmentIds;
};

} // namespace

QFuture<Result<EnsuredItem>> MailchimpConnector::ensureList(const QString &name)
{
    const QString wanted = name.trimmed();
    return chain(collect(u"/lists"_s, {}, u"lists"_s), [this, wanted](QJsonArray &lists) {
        for (const QJsonValue &l : lists) {
            const QJsonObject o = l.toObject();
            if (o.value(u"name"_s).toString().trimmed().compare(wanted, Qt::CaseInsensitive) == 0)
                return Connectors::ready<EnsuredItem>(
                    EnsuredItem{o.value(u"id"_s).toString(), o.value(u"name"_s).toString()});
        }
        // POST /lists requires the sender's postal address and defaults: the account's own.
        return chain(call("GET", u"/"_s), [this, wanted](QJsonObject &root) {
            const QJsonObject c = root.value(u"contact"_s).toObject();
            const QString company = c.value(u"company"_s).toString(
                root.value(u"account_name"_s).toString());
            const QJsonObject body{
                {u"name"_s, wanted},
                {u"contact"_s,
                 QJsonObject{{u"company"_s, company},
                             {u"address1"_s, c.value(u"addr1"_s).toString()},
                             {u"address2"_s, c.value(u"addr2"_s).toString()},
                             {u"city"_s, c.value(u"city"_s).toString()},
                             {u"state"_s, c.value(u"state"_s).toString()},
                             {u"zip"_s, c.value(u"zip"_s).toString()},
                             {u"country"_s, c.value(u"country"_s).toString()}}},
                {u"permission_reminder"_s,
                 tr("You are receiving this email because you signed up for updates from %1.")
                     .arg(company)},
                {u"campaign_defaults"_s,
                 QJsonObject{{u"from_name"_s, company},
                             {u"from_email"_s, root.value(u"email"_s).toString()},
                             {u"subject"_s, QString()},
                             {u"language"_s, u"en"_s}}},
                {u"email_type_option"_s, false},
                // Single opt-in: nothing Stagecoach writes may ask members to confirm.
                {u"double_optin"_s, false}};
            return map(call("POST", u"/lists"_s, {}, body, false),
                       [](QJsonObject &list) -> Result<EnsuredItem> {
                           return EnsuredItem{list.value(u"id"_s).toString(),
                                              list.value(u"name"_s).toString(), true};
                       });
        });
    });
}

QFuture<Result<QList<EnsuredItem>>> MailchimpConnector::ensureFields(const QString &listId,
                                                                     const QList<FieldSpec> &specs)
{
    const QString path = u"/lists/%1/merge-fields"_s.arg(listId);
    return chain(collect(path, {}, u"merge_fields"_s), [this, listId, path,
                                                        specs](QJsonArray &existing) {
        QHash<QString, QJsonObject> byTag;
        for (const QJsonValue &f : existing)
            byTag.insert(f.toObject().value(u"tag"_s).toString().toUpper(), f.toObject());
        {
            // Remembered for writing: a birthday is written as "MM/DD".
            QMutexLocker lock(&m_mutex);
            QHash<QString, FieldType> &types = m_fieldTypes[listId];
            for (auto it = byTag.cbegin(); it != byTag.cend(); ++it)
                types.insert(it.key(), MailchimpJson::fieldType(it->value(u"type"_s).toString()));
        }
        // One field after the other, in order; a failure stops the rest.
        auto out = std::make_shared<QList<EnsuredItem>>();
        auto step = std::make_shared<std::function<QFuture<Result<QList<EnsuredItem>>>(int)>>();
        *step = [this, listId, path, specs, byTag, out,
                 weak = std::weak_ptr(step)](int i) -> QFuture<Result<QList<EnsuredItem>>> {
            const auto self = weak.lock();
            if (i >= specs.size() || !self)
                return Connectors::ready<QList<EnsuredItem>>(*out);
            const FieldSpec &spec = specs.at(i);
            const QString tag = spec.name.trimmed().toUpper();
            if (const auto it = byTag.constFind(tag); it != byTag.cend()) {
                out->append({tag, it->value(u"name"_s).toString(), false,
                              MailchimpJson::fieldType(it->value(u"type"_s).toString())});
                return (*self)(i + 1);
            }
            QString type = MailchimpJson::mergeType(spec.type);
            QJsonObject body{{u"tag"_s, tag},
                             {u"name"_s, spec.label.isEmpty() ? spec.name : spec.label},
                             {u"required"_s, false},
                             {u"public"_s, false}};
            if (type == u"text" && !spec.choices.isEmpty()) {
                type = u"dropdown"_s;
                body.insert(u"options"_s,
                            QJsonObject{{u"choices"_s, QJsonArray::fromStringList(spec.choices)}});
            }
            body.insert(u"type"_s, type);
            return chain(call("POST", path, {}, body, false),
                         [this, listId, out, self, i](QJsonObject &created) {
                             {
                                 QMutexLocker lock(&m_mutex);
                                 m_fieldTypes[listId].insert(
                                     created.value(u"tag"_s).toString(),
                                     MailchimpJson::fieldType(created.value(u"type"_s).toString()));
                             }
                             out->append({created.value(u"tag"_s).toString(),
                                          created.value(u"name"_s).toString(), true,
                                          MailchimpJson::fieldType(
                                              created.value(u"type"_s).toString())});
                             return (*self)(i + 1);
                         });
        };
        return (*step)(0).then([step](Result<QList<EnsuredItem>> r) { return r; });
    });
}

QFuture<Result<BatchResult>> MailchimpConnector::writeSuppressions(
    const QString &listId, const QList<TargetContact> &contacts)
{
    return writeBatch(listId, contacts, true);
}

QFuture<Result<BatchResult>> MailchimpConnector::upsertContacts(const QString &listId,
                                                                const QList<TargetContact> &contacts)
{
    return writeBatch(listId, contacts, false);
}

QFuture<Result<BatchResult>> MailchimpConnector::writeBatch(const QString &listId,
                                                            const QList<TargetContact> &contacts,
                                                            bool suppressionWave)
{
    auto state = std::make_shared<BatchState>();
    state->path = u"/lists/%1"_s.arg(listId);
    // update_existing holds for a whole request, so the batch is split by it, then by size.
    QList<TargetContact> groups[2];
    for (const TargetContact &c : contacts) {
        const WriteWave wave = c.write.wave;
        const bool rightWave = suppressionWave
                                   ? wave == WriteWave::Suppression
                                   : (wave == WriteWave::NonMarketable
                                      || wave == WriteWave::Subscriber);
        if (!rightWave || c.write.platform != TargetPlatform::Mailchimp) {
            state->result.failed.append(Connectors::wrongWave(c));
            continue;
        }
        const QString status = c.write.mailchimp.status;
        if (status.isEmpty() || status == u"pending") {
            // Defence in depth: "pending" mails a confirmation request (ConsentMapping never
            // asks for it).
            state->result.failed.append(
                {c.email, u"not_written"_s,
                 tr("Not written: the status \"%1\" is not one Stagecoach writes to Mailchimp.")
                     .arg(status)});
            continue;
        }
        groups[c.write.mailchimp.updateExisting ? 1 : 0].append(c);
    }
    for (int g = 0; g < 2; ++g) {
        for (qsizetype i = 0; i < groups[g].size(); i += maxBatchMembers) {
            state->chunks.append(groups[g].mid(i, maxBatchMembers));
            state->updateExisting.append(g == 1);
        }
    }

    // The tags' segments are looked up (and missing ones created) while the members are
    // written, not after: otherwise each batch's tagging would wait one more answer, and at the
    // start of a wave the batches would wait in turn for the first one's segment listing. A
    // segment may so be created for a tag whose members all fail; it stays empty.
    QStringList tagNames;
    for (const QList<TargetContact> &chunk : std::as_const(state->chunks)) {
        for (const TargetContact &c : chunk) {
            for (const QString &tag : c.tags) {
                const QString name = tag.trimmed();
                if (!name.isEmpty() && !tagNames.contains(name))
                    tagNames.append(name);
            }
        }
    }
    if (!tagNames.isEmpty()) {
        tagNames.sort();
        state->segmentIds = segmentIdsInTurn(listId, tagNames);
    }

    QHash<QString, FieldType> types;
    {
        QMutexLocker lock(&m_mutex);
        types = m_fieldTypes.value(listId);
    }
    auto step = std::make_shared<std::function<QFuture<Result<BatchResult>>()>>();
    *step = [this, state, listId, types, weak = std::weak_ptr(step)]() -> QFuture<Result<BatchResult>> {
        const auto self = weak.lock();
        if (state->index >= state->chunks.size() || !self) {
            QHash<QString, QStringList> tags;
            for (const TargetContact &c : std::as_const(state->written)) {
                for (const QString &tag : c.tags) {
                    if (!tag.trimmed().isEmpty())
                        tags[tag.trimmed()].append(c.email.trimmed());
                }
            }
            if (tags.isEmpty())
                return Connectors::ready<BatchResult>(state->result);
            QStringList names = tags.keys();
            names.sort();
            return map(tagMembers(listId, tags,
                                  state->segmentIds ? *state->segmentIds
                                                    : segmentIdsInTurn(listId, names)),
                       [state](QHash<QString, QString> &untagged) -> Result<BatchResult> {
                           // A member whose tags are missing is not written as asked.
                           for (const TargetContact &c : std::as_const(state->written)) {
                               const auto it = untagged.constFind(normalized(c.email));
                               if (it == untagged.cend())
                                   continue;
                               --state->result.written;
                               state->result.failed.append({c.email, u"tag_not_written"_s, *it});
                           }
                           return state->result;
                       });
        }
        const QList<TargetContact> chunk = state->chunks.at(state->index);
        const bool updateExisting = state->updateExisting.at(state->index);
        ++state->index;
        QJsonArray members;
        for (const TargetContact &c : chunk)
            members.append(MailchimpJson::batchMember(c, true, types));
        // An upsert keyed by address: sending it again after a lost answer changes nothing
        // (existing members come back as ERROR_CONTACT_EXISTS, handled below).
        ++state->result.requests;
        // Its tagging follows its answer: it goes out before waiting tag additions.
        return chain(
            call("POST", state->path, {},
                 QJsonObject{{u"members"_s, members}, {u"update_existing"_s, updateExisting}},
                 true, kLeadsToTagging),
            [this, state, self, chunk, updateExisting, types](QJsonObject &json) {
                const BatchAnswer answer = readAnswer(json);
                QList<TargetContact> existing; // kept their status; fields still to write
                for (const TargetContact &c : chunk) {
                    const QString email = normalized(c.email);
                    if (answer.done.contains(email)) {
                        ++state->result.written;
                        state->written.append(c);
                    } else if (const auto e = answer.errors.constFind(email);
                               e != answer.errors.cend()) {
                        if (!updateExisting && e->first == u"ERROR_CONTACT_EXISTS")
                            existing.append(c);
                        else
                            state->result.failed.append({c.email, e->first, e->second});
                    } else {
                        state->result.failed.append(
                            {c.email, u"not_written"_s,
                             tr("Mailchimp's answer did not mention this address; it may not "
                                "have been written.")});
                    }
                }
                if (existing.isEmpty())
                    return (*self)();
                // A member the audience already has keeps its status (MailchimpWrite::
                // updateExisting is false): its fields and evidence are updated without one.
                QJsonArray again;
                for (const TargetContact &c : existing)
                    again.append(MailchimpJson::batchMember(c, false, types));
                ++state->result.requests;
                return chain(call("POST", state->path, {},
                                  QJsonObject{{u"members"_s, again}, {u"update_existing"_s, true}},
                                  true, kLeadsToTagging),
                             [state, self, existing](QJsonObject &json2) {
                                 const BatchAnswer second = readAnswer(json2);
                                 for (const TargetContact &c : existing) {
                                     const QString email = normalized(c.email);
                                     if (second.done.contains(email)) {
                                         ++state->result.written;
                                         state->written.append(c);
                                     } else if (const auto e = second.errors.constFind(email);
                                                e != second.errors.cend()) {
                                         state->result.failed.append({c.email, e->first, e->second});
                                     } else {
                                         state->result.failed.append(
                                             {c.email, u"not_written"_s,
                                              tr("Mailchimp's answer did not mention this "
                                                 "address; it may not have been written.")});
                                     }
                                 }
                                 return (*self)();
                             });
            });
    };
    return (*step)().then([step](Result<BatchResult> r) { return r; });
}

QFuture<Result<QHash<QString, qint64>>> MailchimpConnector::segmentIdsInTurn(const QString &listId,
                                                                            const QStringList &names)
{
    using Ids = QHash<QString, qint64>;
    // Segments already known need no turn and no request.
    if (std::optional<Ids> known = knownSegmentIds(listId, names))
        return Connectors::ready<Ids>(std::move(*known));
    // A QFuture takes one continuation (Qt 6.4), and the caller attaches its own to what this
    // returns: the turn is handed on from a promise of our own, not from a continuation of it.
    auto promise = std::make_shared<QPromise<Result<Ids>>>();
    QFuture<Result<Ids>> answer = promise->future();
    promise->start();
    const auto turn = [this, listId, names, promise] {
        const auto handOn = [this, promise](std::optional<Result<Ids>> r) {
            promise->addResult(r ? std::move(*r) : Result<Ids>(Error(tr("Tagging was cancelled."))));
            promise->finish();
            std::function<void()> next;
            {
                QMutexLocker lock(&m_mutex);
                if (m_taggingQueue.empty()) {
                    m_tagging = false;
                    return;
                }
                next = std::move(m_taggingQueue.front());
                m_taggingQueue.pop_front();
            }
            next();
        };
        // The turns before this one have usually created these segments meanwhile (the batches
        // of a wave mostly carry the same tags): then no request, so the batches waiting for
        // their turn are not held up one segment listing after another.
        if (std::optional<Ids> known = knownSegmentIds(listId, names)) {
            handOn(Result<Ids>(std::move(*known)));
            return;
        }
        segmentIds(listId, names)
            .then([handOn](const Result<Ids> &r) { handOn(r); })
            .onCanceled([handOn] { handOn(std::nullopt); });
    };
    {
        QMutexLocker lock(&m_mutex);
        if (m_tagging) {
            m_taggingQueue.push_back(turn);
            return answer;
        }
        m_tagging = true;
    }
    turn();
    return answer;
}

std::optional<QHash<QString, qint64>> MailchimpConnector::knownSegmentIds(const QString &listId,
                                                                       const QStringList &names)
{
    QMutexLocker lock(&m_mutex);
    const QHash<QString, qint64> known = m_segmentIds.value(listId);
    QHash<QString, qint64> ids;
    for (const QString &name : names) {
        const auto it = known.constFind(name);
        if (it == known.cend())
            return std::nullopt;
        ids.insert(name, *it);
    }
    return ids;
}

QFuture<Result<QHash<QString, qint64>>> MailchimpConnector::segmentIds(const QString &listId,
                                                                      const QStringList &names)
{
    using Ids = QHash<QString, qint64>;
    const QString segments = u"/lists/%1/segments"_s.arg(listId);
    QUrlQuery staticOnly;
    staticOnly.addQueryItem(u"type"_s, u"static"_s);
    return chain(collect(segments, staticOnly, u"segments"_s), [this, listId, segments, names](
                                                                   QJsonArray &existing) {
        auto ids = std::make_shared<Ids>();
        for (const QJsonValue &s : existing)
            ids->insert(s.toObject().value(u"name"_s).toString(),
                        s.toObject().value(u"id"_s).toInteger());
        auto missing = std::make_shared<QStringList>();
        for (const QString &name : names) {
            if (!ids->contains(name))
                missing->append(name);
        }
        if (missing->isEmpty()) {
            QMutexLocker lock(&m_mutex);
            m_segmentIds[listId].insert(*ids);
            return Connectors::ready<Ids>(*ids);
        }
        // A tag is a static segment, created empty (then filled by tagMembers). The missing ones
        // are created all at once (their names differ; the turn keeps other batches from
        // creating them too), each answer waiting for the same latency.
        struct Created
        {
            QMutex mutex;
            QPromise<Result<Ids>> promise;
            std::optional<Error> error;
            qsizetype remaining = 0;
        };
        auto created = std::make_shared<Created>();
        created->remaining = missing->size();
        created->promise.start();
        QFuture<Result<Ids>> answer = created->promise.future();
        for (const QString &name : std::as_const(*missing)) {
            const auto landed = [this, listId, ids, created,
                                 name](const std::optional<Result<QJsonObject>> &r) {
                QMutexLocker lock(&created->mutex);
                if (!r)
                    created->error = Error(tr("Tagging was cancelled."));
                else if (!*r)
                    created->error = r->error();
                else
                    ids->insert(name, r->value().value(u"id"_s).toInteger());
                if (--created->remaining > 0)
                    return;
                {
                    // What was created is remembered even when another creation failed.
                    QMutexLocker idsLock(&m_mutex);
                    m_segmentIds[listId].insert(*ids);
                }
                created->promise.addResult(created->error ? Result<Ids>(*created->error)
                                                          : Result<Ids>(*ids));
                created->promise.finish();
            };
            call("POST", segments, {},
                 QJsonObject{{u"name"_s, name}, {u"static_segment"_s, QJsonArray()}}, false)
                .then([landed](const Result<QJsonObject> &r) { landed(r); })
                .onCanceled([landed] { landed(std::nullopt); });
        }
        return answer;
    });
}

QFuture<Result<QHash<QString, QString>>> MailchimpConnector::tagMembers(
    const QString &listId, const QHash<QString, QStringList> &tags,
    QFuture<Result<QHash<QString, qint64>>> segmentIds)
{
    using Untagged = QHash<QString, QString>;
    QStringList names = tags.keys();
    names.sort();
    // The segments first (segmentIds, from segmentIdsInTurn: two batches that met a new tag
    // together would each create a segment of that name), then every addition at once: the rate
    // limiter keeps them within Mailchimp's 10 connections.
    return chain(std::move(segmentIds), [this, listId, tags, names](
                                                      QHash<QString, qint64> &ids) {
        struct Gathered
        {
            QMutex mutex;
            QPromise<Result<Untagged>> promise;
            Untagged untagged;
            std::optional<Error> error;
            qsizetype remaining = 0;
        };
        auto g = std::make_shared<Gathered>();
        QFuture<Result<Untagged>> answer = g->promise.future();
        g->promise.start();
        QList<std::pair<qint64, QStringList>> work; // (segment, up to 500 addresses)
        for (const QString &name : names) {
            const QStringList emails = tags.value(name);
            for (qsizetype i = 0; i < emails.size(); i += maxBatchMembers)
                work.append({ids.value(name), emails.mid(i, maxBatchMembers)});
        }
        g->remaining = work.size();
        if (work.isEmpty()) {
            g->promise.addResult(Untagged());
            g->promise.finish();
            return answer;
        }
        const auto landed = [g](const std::optional<Result<QJsonObject>> &r) {
            QMutexLocker lock(&g->mutex);
            if (!r)
                g->error = Error(tr("Tagging was cancelled."));
            else if (!*r)
                g->error = r->error();
            else {
                for (const QJsonValue &e : r->value().value(u"errors"_s).toArray()) {
                    const QJsonObject o = e.toObject();
                    for (const QJsonValue &a : o.value(u"email_addresses"_s).toArray())
                        g->untagged.insert(normalized(a.toString()), o.value(u"error"_s).toString());
                }
            }
            if (--g->remaining > 0)
                return;
            g->promise.addResult(g->error ? Result<Untagged>(*g->error) : Result<Untagged>(g->untagged));
            g->promise.finish();
        };
        const QString segments = u"/lists/%1/segments"_s.arg(listId);
        for (const auto &[id, emails] : std::as_const(work)) {
            QJsonObject body{{u"members_to_add"_s, QJsonArray::fromStringList(emails)}};
            call("POST", u"%1/%2"_s.arg(segments).arg(id), {}, body, true)
                .then([landed](const Result<QJsonObject> &r) { landed(r); })
                .onCanceled([landed] { landed(std::nullopt); });
        }
        return answer;
    });
}
