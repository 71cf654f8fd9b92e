#include "dialogs/prompts.h"

#include <QCoreApplication>
#include <QFileDialog>
#include <QMessageBox>

namespace {
Prompts *g_installed = nullptr;

QString projectFilter()
{
    return QCoreApplication::translate("Prompts", "Stagecoach projects (*.stagecoach)");
}

QString saveProjectPath(QWidget *parent, const QString &title, const QString &path)
{
    QString chosen = QFileDialog::getSaveFileName(parent, title, path, projectFilter());
    if (!chosen.isEmpty() && !chosen.endsWith(QStringLiteral(".stagecoach")))
        chosen += QStringLiteral(".stagecoach");
    return chosen;
}
} // namespace

Prompts::~Prompts() = default;

Prompts &Prompts::instance()
{
    static Prompts real;
    return g_installed ? *g_installed : real;
}

void Prompts::setInstance(Prompts *prompts)
{
    g_installed = prompts;
}

QString Prompts::newProjectPath(QWidget *parent, const QString &suggestedPath)
{
    return saveProjectPath(parent, QCoreApplication::translate("Prompts", "New Migration Project"), suggestedPath);
}

QString Prompts::openProjectPath(QWidget *parent, const QString &folder)
{
    return QFileDialog::getOpenFileName(parent, QCoreApplication::translate("Prompts", "Open Migration Project"), folder,
                                        projectFilter());
}

QString Prompts::saveAsPath(QWidget *parent, const QString &currentPath)
{
    return saveProjectPath(parent, QCoreApplication::translate("Prompts", "Save Project As"), currentPath);
}

QStringList Prompts::exportFiles(QWidget *parent, const QString &folder)
{
    return QFileDialog::getOpenFileNames(
        parent, QCoreApplication::translate("Prompts", "Add Export Files"), folder,
        QCoreApplication::translate("Prompts", "Exports (*.zip *.csv *.txt);;All files (*)"));
}

QString Prompts::saveFilePath(QWidget *parent, const QString &title, const QString &suggestedPath, const QString &filter)
{
    return QFileDialog::getSaveFileName(parent, title, suggestedPath, filter);
}

QString Prompts::openFilePath(QWidget *parent, const QString &title, const QString &folder, const QString &filter)
{
    return QFileDialog::getOpenFileName(parent, title, folder, filter);
}

void Prompts::showError(QWidget *parent, const QString &title, const Error &error)
{
    QMessageBox box(QMessageBox::Warning, title, error.summary(),
                    QMessageBox::Ok, parent);
    box.setInformativeText(error.hint);
    box.exec();
}

bool Prompts::confirm(QWidget *parent, const QString &title, const QString &question)
{
    return QMessageBox::question(parent, title, question) == QMessageBox::Yes;
}
