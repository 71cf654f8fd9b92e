#include "plan/checklistgenerator.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>

#include <cmath>

namespace {

QString wavePlaceholder()
{
    return QStringLiteral("{wave}");
}
QString contactsPlaceholder()
{
    return QStringLiteral("{contacts}");
}
constexpr int kMaxOffsetDays = 260; // about a working year: more is a typo

const QRegularExpression &placeholderPattern()
{
    static const QRegularExpression re(QStringLiteral("\\{[^{}]*\\}"));
    return re;
}

// "wave-3" -> 3; -1 when the key does not say.
int waveFromKey(const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^wave-(\\d+)$"));
    const QRegularExpressionMatch m = re.match(key);
    bool ok = false;
    const int n = m.hasMatch() ? m.captured(1).toInt(&ok) : -1;
    return ok ? n : -1;
}

} // namespace

Result<ChecklistTemplate> ChecklistTemplate::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{tr("the checklist template cannot be read: %1.").arg(file.errorString()),
                     path};
    return fromJson(file.readAll(), path);
}

Result<ChecklistTemplate> ChecklistTemplate::fromJson(const QByteArray &json,
                                                      const QString &sourceName)
{
    const QString hint
        = tr("Correct the template file, or reinstall Stagecoach to restore the bundled one.");
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull())
        return Error{tr("the checklist template is not valid JSON: %1 at byte %2.")
                         .arg(parseError.errorString())
                         .arg(parseError.offset),
                     sourceName, hint};
    const QJsonObject root = doc.object();
    const QJsonValue version = root.value(u"version");
    if (!version.isUndefined() && version.toInt(-1) != 1)
        return Error{tr("the checklist template is of version %1; this version of Stagecoach reads "
                        "version 1.")
                         .arg(version.toVariant().toString()),
                     sourceName, tr("Use the template that came with this version of Stagecoach.")};
    if (!root.value(u"stages").isObject())
        return Error{tr("the checklist template has no \"stages\" object."), sourceName, hint};

    ChecklistTemplate tpl;
    const QJsonObject stages = root.value(u"stages").toObject();
    for (auto it = stages.constBegin(); it != stages.constEnd(); ++it) {
        const QString kindKey = it.key();
        const std::optional<StageKind> kind = StageKinds::fromKey(kindKey);
        if (!kind)
            return Error{
                tr("the checklist template names an unknown stage kind \"%1\".").arg(kindKey),
                sourceName,
                tr("Known kinds: %1.").arg(StageKinds::keys().join(QStringLiteral(", ")))};
        if (!it.value().isArray())
            return Error{tr("the tasks of stage kind \"%1\" are not a list.").arg(kindKey),
                         sourceName, hint};

        QList<ChecklistTask> tasks;
        const QJsonArray array = it.value().toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject o = array.at(i).toObject();
            const QString task = tr("task %1 of stage kind \"%2\"").arg(i + 1).arg(kindKey);
            ChecklistTask t;
            t.title = o.value(u"title").toString().trimmed();
            if (t.title.isEmpty())
                return Error{tr("%1 has no title.").arg(task), sourceName, hint};
            for (QRegularExpressionMatchIterator m = placeholderPattern().globalMatch(t.title);
                 m.hasNext();) {
                const QString placeholder = m.next().captured();
                if (!ChecklistGenerator::placeholders().contains(placeholder))
                    return Error{
                        tr("%1 uses the unknown placeholder %2.").arg(task, placeholder),
                        sourceName,
                        tr("Known placeholders: %1.")
                            .arg(ChecklistGenerator::placeholders().join(QStringLiteral(", ")))};
            }
            const QJsonValue milestone = o.value(u"milestone");
            if (!milestone.isUndefined() && !milestone.isBool())
                return Error{tr("%1: \"milestone\" must be true or false.").arg(task), sourceName,
                             hint};
            t.milestone = milestone.toBool();
            const QJsonValue offset = o.value(u"offsetDays");
            if (!offset.isUndefined()) {
                const double days = offset.toDouble(-1);
                if (!offset.isDouble() || days < 0 || days > kMaxOffsetDays
                    || std::floor(days) != days)
                    return Error{tr("%1: \"offsetDays\" must be a whole number of working days "
                                    "from 0 to %2.")
                                     .arg(task)
                                     .arg(kMaxOffsetDays),
                                 sourceName, hint};
                t.offsetDays = int(days);
            }
            tasks.append(t);
        }
        tpl.m_tasks.insert(*kind, tasks);
    }
    return tpl;
}

QStringList ChecklistGenerator::placeholders()
{
    return {wavePlaceholder(), contactsPlaceholder()};
}

QList<ChecklistItem> ChecklistGenerator::generate(const Timeline &timeline,
                                                  const ChecklistTemplate &tpl)
{
    QList<ChecklistItem> items;
    int subscriberWaves = 0;
    for (const Stage &stage : timeline.stages) {
        int wave = 0;
        if (stage.kind == StageKind::SubscriberWave) {
            ++subscriberWaves;
            const int fromKey = waveFromKey(stage.key);
            wave = fromKey >= 0 ? fromKey : subscriberWaves;
        }
        const QString contacts
            = stage.contacts > 0 ? QLocale().toString(stage.contacts) : tr("all");

        const QList<ChecklistTask> tasks = tpl.tasks(stage.kind);
        for (const ChecklistTask &task : tasks) {
            ChecklistItem item;
            item.stageKey = stage.key;
            item.title = task.title;
            item.title.replace(wavePlaceholder(), QString::number(wave))
                .replace(contactsPlaceholder(), contacts);
            item.milestone = task.milestone;
            item.offsetDays = task.offsetDays; // the due date follows the stage when it moves
            items.append(item);
        }
    }
    return items;
}
