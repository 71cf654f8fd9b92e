#include "diffcommand.h"
#include "commandline.h"

#include "integrity/diffengine.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *s) { return QCoreApplication::translate("DiffCommand", s); }

using CommandLine::fail;

// "file:line: what. hint", as scripts expect.
int failWith(const Error &e)
{
    return fail(e.where.isEmpty() ? e.toString() : e.where + u": "_s + e.message + (e.hint.isEmpty() ? QString() : u' ' + e.hint));
}

void printText(QTextStream &out, const DiffSummary &s)
{
    out << tr("Source: %1 (%2 records)").arg(s.source).arg(s.sourceRecords) << '\n';
    out << tr("Target: %1 (%2 records)").arg(s.target).arg(s.targetRecords) << '\n';
    out << tr("Consent violations: %1").arg(s.consentViolations) << '\n';
    out << tr("Missing on target: %1").arg(s.missing) << '\n';
    out << tr("Only on target: %1").arg(s.extra) << '\n';
    out << tr("Changed: %1").arg(s.changed) << '\n';
    out << tr("Identical: %1").arg(s.identical) << '\n';
    out << tr("Duplicates in source: %1").arg(s.sourceDuplicates) << '\n';
    out << tr("Duplicates in target: %1").arg(s.targetDuplicates) << '\n';
    out << tr("Changed by field:") << '\n';
    for (qsizetype i = 0; i < s.fields.size(); ++i)
        out << "  " << s.fields[i].name << " -> " << s.fields[i].targetName << " [" << CompareTypes::key(s.fields[i].type)
            << "]: " << s.changedByField.value(i) << '\n';
    out << "  " << tr("status class") << ": " << s.statusChanged << '\n';
    out << tr("Status (source / target):") << '\n';
    for (const ContactStatus st : kAllContactStatuses) {
        if (s.sourceByStatus[size_t(st)] || s.targetByStatus[size_t(st)])
            out << "  " << ContactStatuses::key(st) << ": " << s.sourceByStatus[size_t(st)] << " / "
                << s.targetByStatus[size_t(st)] << '\n';
    }
    if (!s.notComparedSource.isEmpty())
        out << tr("Not compared (source): %1").arg(s.notComparedSource.join(u", "_s)) << '\n';
    if (!s.notComparedTarget.isEmpty())
        out << tr("Not compared (target): %1").arg(s.notComparedTarget.join(u", "_s)) << '\n';
}

} // namespace

int runDiffCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr(
        "Compare a migration's source with its target, per record and per field.\n\n"
        "SOURCE and TARGET are each an export file (CSV, or a zip of CSVs) from Mailchimp, Brevo or "
        "Klaviyo, any CSV with an email column, or a Stagecoach backup folder. Records are matched by "
        "email (trimmed, lower-cased, Unicode NFC, domain in ASCII); values are compared after the "
        "normalisation their type needs (dates, numbers, phone numbers, white space, tag sets; empty "
        "equals absent); statuses are compared by class (suppressed, not marketable, marketable), and "
        "a target more subscribed than its source is a consent violation.\n\n"
        "Fields of known platforms are mapped as the transfer maps them (First Name -> FIRSTNAME / "
        "first_name ...). A CSV of no known platform must have the same column names as the other "
        "side, or a mapping file:\n"
        "  source,target,type\n"
        "  Email,E-mail,email          (the email column of each side)\n"
        "  State,Subscription,status   (the status column of each side)\n"
        "  Given name,FIRSTNAME,text\n"
        "  Joined,SIGNUP_DATE,date\n"
        "type: auto, text, number, date, phone, tags or boolean (default auto). Rows starting with # are "
        "comments. With a mapping file only its rows are compared.\n\n"
        "Exit status: 0 when the sides were compared (whatever the differences), 1 for unreadable or "
        "malformed input (printed as file:line: what), 2 for a usage error."));
    parser.addHelpOption();
    parser.addPositionalArgument(u"diff"_s, tr("The sub-command."));
    parser.addPositionalArgument(u"source"_s, tr("The source: export file or backup folder."), u"SOURCE"_s);
    parser.addPositionalArgument(u"target"_s, tr("The target: export file or backup folder."), u"TARGET"_s);
    const QCommandLineOption map(u"map"_s, tr("A mapping file (see above)."), u"FILE"_s);
    const QCommandLineOption json(u"json"_s, tr("Print exactly one JSON object on stdout instead of text."));
    const QCommandLineOption out(u"out"_s, tr("Write the differences as CSV: email,kind,field,source value,target value."),
                                 u"FILE"_s);
    parser.addOptions({map, json, out});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), 2);
    if (parser.isSet(u"help"_s)) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList sides = parser.positionalArguments().mid(1);
    if (sides.size() != 2)
        return fail(tr("diff needs a source and a target. Usage: stagecoach diff SOURCE TARGET [--map FILE] "
                       "[--json] [--out FILE]"),
                    2);
    for (const QString &side : sides) {
        if (!QFileInfo::exists(side))
            return failWith(Error(tr("no such file or folder."), side));
    }

    DiffInput input;
    if (parser.isSet(map)) {
        Result<DiffMappingFile> file = DiffMappingFile::load(parser.value(map));
        if (!file)
            return failWith(file.error());
        input.mappingFile = std::move(file).value();
    }
    const DiffMappingFile *mapping = input.mappingFile ? &*input.mappingFile : nullptr;
    input.source = DiffEngine::sideFor(sides[0], mapping, true);
    input.target = DiffEngine::sideFor(sides[1], mapping, false);
    Result<DiffResult> result = DiffEngine::compare(std::move(input));
    if (!result)
        return failWith(result.error());

    if (parser.isSet(out)) {
        if (const Status s = result->writeCsv(parser.value(out)); !s)
            return failWith(s.error());
    }
    QTextStream stdoutStream(stdout);
    stdoutStream.setEncoding(QStringConverter::Utf8);
    if (parser.isSet(json))
        stdoutStream << QJsonDocument(result->summary.toJson()).toJson(QJsonDocument::Compact) << '\n';
    else
        printText(stdoutStream, result->summary);
    return 0;
}
