// The composition root: the command line, then either a headless sub-command or the wizard.

#include "assesscommand.h"
#include "diffcommand.h"
#include "exportcommand.h"
#include "runcommand.h"
#include "sandboxcommand.h"

#include "dialogs/prompts.h"
#include "mainwindow.h"
#include "project/demoproject.h"
#include "project/referencedata.h"

#include <QApplication>
#include <QGuiApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

namespace {

constexpr const char *kDemoExport = ":/demo/mailchimp-demo-export.zip";

void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Stagecoach"));
    QCoreApplication::setApplicationName(QStringLiteral("Stagecoach"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STAGECOACH_VERSION));
}

// Scripts read one line on stderr on failure: Qt's own notes (e.g. "XDG_RUNTIME_DIR not set"
// from the offscreen platform, the engine's info lines) are kept out of it unless asked for.
void quietQtMessages()
{
    if (qEnvironmentVariableIsEmpty("STAGECOACH_DEBUG"))
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &message) {
            if (type == QtCriticalMsg || type == QtFatalMsg)
                QTextStream(stderr) << "stagecoach: " << message << Qt::endl;
        });
}

int runGui(int argc, char *argv[])
{
    QApplication app(argc, argv);
    setIdentity();
    QApplication::setDesktopFileName(QStringLiteral("stagecoach"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Staged migration of email marketing between platforms.\n\n"
                "Headless sub-commands:\n  assess FILE... [--json]   assess export files (see 'stagecoach assess --help')\n"
                "  export PROJECT [--plan-pdf F] [--checklist-csv F] [--checklist-md F] [--checklist-ics F] [--checklist-pdf F]\n"
                "                            write the plan and checklist (see 'stagecoach export --help')\n"
                "  sandbox [--port N] [--seed demo|empty] [--contacts N] [--faults RATE]\n"
                "                            run the local API emulations (see 'stagecoach sandbox --help')\n"
                "  run PROJECT [--stage NAME] [--wave N] [--dry-run] [--yes]\n"
                "                            run the transfer stages without a window (see 'stagecoach run --help')\n"
                "  diff SOURCE TARGET [--map FILE] [--json] [--out FILE]\n"
                "                            compare source and target per record and field (see 'stagecoach diff --help')\n"
                "  run --demo [--target brevo|klaviyo]\n"
                "                            rehearse the whole demo migration against the built-in sandbox"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"), QApplication::translate("main", "Open the demo project."));
    parser.addOption(demo);
    parser.addPositionalArgument(QStringLiteral("project"), QApplication::translate("main", "A .stagecoach project to open."),
                                 QStringLiteral("[FILE.stagecoach]"));
    parser.process(app);

    Result<ReferenceData> data = ReferenceData::load();
    if (!data) {
        QTextStream(stderr) << "stagecoach: " << data.error().toString() << Qt::endl;
        return 1;
    }
    const MainWindow::DemoProvider demoProvider = []() -> Result<std::pair<QString, QString>> {
        Result<DemoProject::Paths> paths =
            DemoProject::ensure(DemoProject::defaultFolder(), QString::fromLatin1(kDemoExport));
        if (!paths)
            return paths.error();
        return std::pair{paths->project, paths->exportFile};
    };
    MainWindow window(&data.value(), demoProvider);
    window.show();

    const QStringList files = parser.positionalArguments();
    if (parser.isSet(demo))
        window.openDemo();
    else if (!files.isEmpty())
        window.openProject(QDir::current().absoluteFilePath(files.first()));
    return app.exec();
}

} // namespace

int main(int argc, char *argv[])
{
    // Sub-commands run without a display: a QCoreApplication, no widgets.
    if (argc > 1 && QByteArrayView(argv[1]) == QByteArrayView("assess")) {
        QCoreApplication app(argc, argv);
        setIdentity();
        return runAssessCommand(QCoreApplication::arguments());
    }
    if (argc > 1 && QByteArrayView(argv[1]) == QByteArrayView("diff")) {
        quietQtMessages();
        QCoreApplication app(argc, argv);
        setIdentity();
        return runDiffCommand(QCoreApplication::arguments());
    }
    if (argc > 1 && QByteArrayView(argv[1]) == QByteArrayView("sandbox")) {
        QCoreApplication app(argc, argv);
        setIdentity();
        return runSandboxCommand(QCoreApplication::arguments());
    }
    if (argc > 1 && QByteArrayView(argv[1]) == QByteArrayView("run")) {
        quietQtMessages();
        QCoreApplication app(argc, argv);
        setIdentity();
        return runRunCommand(QCoreApplication::arguments());
    }
    if (argc > 1 && QByteArrayView(argv[1]) == QByteArrayView("export")) {
        // Painting the PDF needs fonts, hence a QGuiApplication; offscreen, so no display is needed.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        quietQtMessages();
        QGuiApplication app(argc, argv);
        setIdentity();
        return runExportCommand(QCoreApplication::arguments());
    }
    return runGui(argc, argv);
}
