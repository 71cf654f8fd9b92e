#include "exportcommand.h"

#include "commandline.h"
#include "project/referencedata.h"
#include "reports/checklistexport.h"
#include "reports/plandocument.h"
#include "reports/planpdfwriter.h"
#include "store/projectstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QTextStream>

namespace {
QString tr(const char *s) { return QCoreApplication::translate("ExportCommand", s); }
}

int runExportCommand(const QStringList &arguments)
{
    using CommandLine::fail;
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Writes a project's migration plan and checklist to files, without a window."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("export"), tr("The sub-command."));
    parser.addPositionalArgument(QStringLiteral("project"), tr("The .stagecoach project."), QStringLiteral("PROJECT"));
    const QCommandLineOption planPdf(QStringLiteral("plan-pdf"), tr("Write the migration plan as PDF."), QStringLiteral("FILE"));
    const QCommandLineOption csv(QStringLiteral("checklist-csv"), tr("Write the checklist as CSV."), QStringLiteral("FILE"));
    const QCommandLineOption md(QStringLiteral("checklist-md"), tr("Write the checklist as Markdown."), QStringLiteral("FILE"));
    const QCommandLineOption ics(QStringLiteral("checklist-ics"), tr("Write the checklist's due dates and milestones as iCalendar."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption checklistPdf(QStringLiteral("checklist-pdf"), tr("Write the checklist alone as PDF."), QStringLiteral("FILE"));
    parser.addOptions({planPdf, csv, md, ics, checklistPdf});
    if (!parser.parse(arguments))
        return fail(parser.errorText(), 2);
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return fail(tr("usage: stagecoach export PROJECT [--plan-pdf F] [--checklist-csv F] [--checklist-md F] [--checklist-ics F] "
                       "[--checklist-pdf F]"),
                    2);
    if (!parser.isSet(planPdf) && !parser.isSet(csv) && !parser.isSet(md) && !parser.isSet(ics) && !parser.isSet(checklistPdf))
        return fail(tr("nothing to write: name at least one of --plan-pdf, --checklist-csv, --checklist-md, --checklist-ics, "
                       "--checklist-pdf."),
                    2);

    Result<ReferenceData> data = ReferenceData::load();
    if (!data)
        return fail(data.error().toString());
    const QString projectPath = QDir::current().absoluteFilePath(positional.at(1));
    auto store = ProjectStore::open(projectPath);
    if (!store)
        return fail(store.error().toString());
    Result<PlanDocument> doc = PlanDocument::load(*store.value(), data->catalog);
    if (!doc)
        return fail(doc.error().toString());
    // The lock on the project is not needed while the files are written.
    store.value().reset();

    const auto target = [&](const QCommandLineOption &o) { return QDir::current().absoluteFilePath(parser.value(o)); };
    QTextStream out(stdout);
    auto done = [&](const Status &s, const QString &path) {
        if (s)
            out << tr("wrote %1").arg(QDir::toNativeSeparators(path)) << Qt::endl;
        return s.ok();
    };
    if (parser.isSet(planPdf)) {
        const QString path = target(planPdf);
        if (Status s = PlanPdfWriter::write(doc.value(), path); !done(s, path))
            return fail(s.error().toString());
    }
    if (parser.isSet(checklistPdf)) {
        const QString path = target(checklistPdf);
        if (Status s = PlanPdfWriter::writeChecklist(doc.value(), path); !done(s, path))
            return fail(s.error().toString());
    }
    if (parser.isSet(csv)) {
        const QString path = target(csv);
        if (Status s = ChecklistExport::writeCsv(path, doc->checklist); !done(s, path))
            return fail(s.error().toString());
    }
    if (parser.isSet(md)) {
        const QString path = target(md);
        if (Status s = ChecklistExport::writeMarkdown(path, doc->projectName, doc->timeline, doc->checklist); !done(s, path))
            return fail(s.error().toString());
    }
    if (parser.isSet(ics)) {
        const QString path = target(ics);
        if (Status s = ChecklistExport::writeIcs(path, doc->projectName, doc->timeline, doc->checklist); !done(s, path))
            return fail(s.error().toString());
    }
    return 0;
}
