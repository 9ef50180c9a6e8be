; Inno Setup 6 script: MissionDesk for Windows (x64), from the PyInstaller bundle.
; Build the bundle first (on Windows, in this checkout):
;   python -m PyInstaller --noconfirm --distpath dist --workpath build\pyinstaller installers\missiondesk.spec
;   dist\missiondesk\missiondesk.exe --self-test
; then:  iscc /DAppVersion=0.1.0 installers\windows\missiondesk.iss
; Output: dist\MissionDesk-<version>-setup.exe. Per-user or all-users install (asked), no
; internet needed; the vault is never touched by install or uninstall.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z installers\windows\missiondesk.iss
#endif
#define BundleDir "..\..\dist\missiondesk"

[Setup]
AppId={{4C8E7B52-1F3A-4B8E-9C2D-6A1E5F0B9D37}
AppName=MissionDesk
AppVersion={#AppVersion}
AppVerName=MissionDesk {#AppVersion}
AppPublisher=MissionDesk
DefaultDirName={autopf}\MissionDesk
DefaultGroupName=MissionDesk
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=MissionDesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
SetupIconFile=..\icons\missiondesk.ico
UninstallDisplayIcon={app}\missiondesk.exe
UninstallDisplayName=MissionDesk {#AppVersion}
VersionInfoVersion={#AppVersion}

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; a previous version's modules must not linger beside the new ones
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\MissionDesk"; Filename: "{app}\missiondesk.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\MissionDesk"; Filename: "{app}\missiondesk.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; Inno Setup ignores the exit codes of [Run] entries, so the self-test is not run here: CI runs
; "dist\missiondesk\missiondesk.exe --self-test" on the bundle before packing it, and an
; officer can run "missiondesk.exe --self-test" from a terminal in {app}.
Filename: "{app}\missiondesk.exe"; Description: "{cm:LaunchProgram,MissionDesk}"; Flags: nowait postinstall skipifsilent
