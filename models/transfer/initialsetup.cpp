#include "transfer/initialsetup.h"

#include <QSet>

using namespace Qt::StringLiterals;

int SetupReport::createdCount() const
{
    int n = 0;
    for (const SetupItem &i : items)
        n += (dryRun ? !i.exists : i.created) ? 1 : 0;
    return n;
}

int SetupReport::existingCount() const
{
    int n = 0;
    for (const SetupItem &i : items)
        n += i.exists ? 1 : 0;
    return n;
}

QString SetupReport::listId() const
{
    for (const SetupItem &i : items) {
        if (i.kind == SetupItem::Kind::List)
            return i.id;
    }
    return {};
}

QString SetupReport::summary() const
{
    const int created = createdCount(), existing = existingCount();
    const QString made = dryRun ? (created == 1 ? InitialSetup::tr("1 item would be created")
                                                : InitialSetup::tr("%1 items would be created").arg(created))
                                : (created == 1 ? InitialSetup::tr("1 item created")
                                                : InitialSetup::tr("%1 items created").arg(created));
    const QString there = existing == 1 ? InitialSetup::tr("1 already there")
                                        : InitialSetup::tr("%1 already there").arg(existing);
    return InitialSetup::tr("%1, %2").arg(made, there);
}

QList<FieldSpec> InitialSetup::requiredFields(const QList<FieldMappingRow> &mapping, TargetPlatform target)
{
    QList<FieldSpec> out;
    QSet<QString> seen;
    const auto add = [&](const QString &name, FieldType type, const QString &label) {
        const QString key = name.toLower();
        if (name.isEmpty() || seen.contains(key))
            return;
        seen.insert(key);
        out.append(FieldSpec{name, type, label, {}});
    };
    for (const FieldMappingRow &r : mapping) {
        if (r.kind != FieldMappingRow::Kind::Custom && r.kind != FieldMappingRow::Kind::Consent)
            continue;
        // A value split over several fields (an address on Brevo) is text in each part.
        const FieldType type = r.targets.size() > 1 ? FieldType::Text : r.targetType;
        for (const QString &t : r.targets)
            add(t, type, r.source);
    }
    for (const EvidenceField &e : ConsentMapping::evidenceFields(target))
        add(e.name, e.type, e.name);
    return out;
}

QFuture<Result<SetupReport>> InitialSetup::run(TargetConnector &target, const QString &listName,
                                               const QList<FieldSpec> &fields)
{
    TargetConnector *t = &target; // the caller keeps the connector until the future is answered
    return target.ensureList(listName)
        .then(QtFuture::Launch::Sync,
              [t, listName, fields](Result<EnsuredItem> list) -> QFuture<Result<SetupReport>> {
                  if (!list)
                      return Connectors::ready(Result<SetupReport>(list.error()));
                  SetupItem listItem{SetupItem::Kind::List, list->name.isEmpty() ? listName : list->name,
                                     FieldType::Text, !list->created, list->created, list->id};
                  return t->ensureFields(list->id, fields)
                      .then(QtFuture::Launch::Sync,
                            [listItem, fields](Result<QList<EnsuredItem>> ensured) -> Result<SetupReport> {
                                if (!ensured)
                                    return ensured.error();
                                if (ensured->size() != fields.size()) {
                                    return Error(tr("The target answered for %1 of %2 fields.")
                                                     .arg(ensured->size())
                                                     .arg(fields.size()),
                                                 {}, tr("Run the setup again; nothing is created twice."));
                                }
                                SetupReport report;
                                report.items.append(listItem);
                                for (qsizetype i = 0; i < fields.size(); ++i) {
                                    const EnsuredItem &e = ensured->at(i);
                                    report.items.append(SetupItem{SetupItem::Kind::Field, fields[i].name, fields[i].type,
                                                                  !e.created, e.created, e.id});
                                }
                                return report;
                            });
              })
        .unwrap();
}

QFuture<Result<SetupReport>> InitialSetup::dryRun(SourceConnector &target, const QString &listName,
                                                  const QList<FieldSpec> &fields)
{
    SourceConnector *s = &target;
    return target.audiences()
        .then(QtFuture::Launch::Sync,
              [s, listName, fields](Result<QList<Audience>> audiences) -> QFuture<Result<SetupReport>> {
                  if (!audiences)
                      return Connectors::ready(Result<SetupReport>(audiences.error()));
                  SetupItem listItem{SetupItem::Kind::List, listName, FieldType::Text, false, false, {}};
                  for (const Audience &a : audiences.value()) {
                      if (a.name.compare(listName, Qt::CaseInsensitive) == 0) {
                          listItem.exists = true;
                          listItem.id = a.id;
                      }
                  }
                  if (!listItem.exists && s->platform() == TargetPlatform::Mailchimp) {
                      // Merge fields belong to an audience: a new one would get every field.
                      SetupReport report;
                      report.dryRun = true;
                      report.items.append(listItem);
                      for (const FieldSpec &f : fields)
                          report.items.append(SetupItem{SetupItem::Kind::Field, f.name, f.type, false, false, {}});
                      return Connectors::ready(Result<SetupReport>(report));
                  }
                  return s->fields(listItem.id)
                      .then(QtFuture::Launch::Sync,
                            [s, listItem, fields](Result<QList<FieldDefinition>> existing) -> Result<SetupReport> {
                                QSet<QString> names;
                                if (existing) {
                                    for (const FieldDefinition &d : existing.value())
                                        names.insert(d.key.toLower());
                                } else if (s->features().testFlag(SourceConnector::Feature::Fields)) {
                                    return existing.error();
                                }
                                SetupReport report;
                                report.dryRun = true;
                                report.items.append(listItem);
                                // Klaviyo keeps free-form properties: nothing to create there.
                                const bool freeForm = s->platform() == TargetPlatform::Klaviyo;
                                for (const FieldSpec &f : fields) {
                                    const bool exists = freeForm || names.contains(f.name.toLower());
                                    report.items.append(
                                        SetupItem{SetupItem::Kind::Field, f.name, f.type, exists, false, {}});
                                }
                                return report;
                            });
              })
        .unwrap();
}
