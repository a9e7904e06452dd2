; Optional setup program around dist/windows/taizhang (the zipped folder stays the first choice).
; Built by `make dist-windows-installer`: makensis -DSRC=<folder> -DOUT=<setup.exe> tools/windows/installer.nsi
; Per-user install (no administrator rights) into %LOCALAPPDATA%\Programs\Taizhang, a Start-menu entry and an
; uninstaller. The clerk's data lives elsewhere (%LOCALAPPDATA%\Taizhang, or <app>\data in portable mode) and the
; uninstaller removes only the files it installed, so data is never deleted with the program.
Unicode true
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user

!ifndef SRC
  !error "SRC (the built folder) is not set"
!endif
!ifndef OUT
  !error "OUT (the setup program) is not set"
!endif
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Taizhang"

!include "MUI2.nsh"

Name "落实台账"
OutFile "${OUT}"
InstallDir "$LOCALAPPDATA\Programs\Taizhang"

!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Section "落实台账"
  SetOutPath "$INSTDIR"
  File /r "${SRC}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateDirectory "$SMPROGRAMS\落实台账"
  CreateShortcut "$SMPROGRAMS\落实台账\落实台账.lnk" "$INSTDIR\taizhang.exe"
  CreateShortcut "$SMPROGRAMS\落实台账\卸载落实台账.lnk" "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "落实台账"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\taizhang.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\落实台账\落实台账.lnk"
  Delete "$SMPROGRAMS\落实台账\卸载落实台账.lnk"
  RMDir "$SMPROGRAMS\落实台账"
  RMDir /r "$INSTDIR\_internal"
  RMDir /r "$INSTDIR\licenses"
  Delete "$INSTDIR\taizhang.exe"
  Delete "$INSTDIR\taizhang-cli.exe"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"  ; only if empty: a portable data\ folder or portable.txt keeps it
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
